//! A PNG drawing backend: plotters' bitmap backend with text drawn by ab_glyph directly.
//!
//! plotters 0.3.7 drops each glyph's left side bearing and rounds every glyph to a whole
//! pixel when it rasterises text (`style/font/ab_glyph.rs`), so letters sit unevenly
//! ("Conservati ve"). This backend forwards every shape to `BitMapBackend` and draws text
//! itself, placing each glyph at its exact, sub-pixel position. Layout (width, anchors,
//! rotation) follows plotters' own `draw_text`, so labels land where the charts put them.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle,
};

/// DejaVu Sans's x-height as a share of its em (OS/2 sxHeight 1120 of 2048 units), which
/// browsers use for the `ex` of an SVG's `dy`.
const X_HEIGHT: f64 = 1120.0 / 2048.0;

/// `BitMapBackend` with correct glyph placement.
pub struct Raster<'a> {
    inner: BitMapBackend<'a>,
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl<'a> Raster<'a> {
    /// Draw into an RGB buffer of `size` pixels.
    pub fn with_buffer(
        buffer: &'a mut [u8],
        size: (u32, u32),
    ) -> Result<Self, ab_glyph::InvalidFont> {
        Ok(Raster {
            inner: BitMapBackend::with_buffer(buffer, size),
            regular: FontRef::try_from_slice(dejavu::sans::regular())?,
            bold: FontRef::try_from_slice(dejavu::sans::bold())?,
        })
    }
}

type Error = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

impl DrawingBackend for Raster<'_> {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        // Anchored as plotters' SVG backend anchors text, so that the PNG and the SVG put
        // every label in the same place: horizontally by the text's advance width, vertically
        // by the baseline's offset from the anchor (`dy` of 0.76em, 0.5ex or -0.5ex).
        let ((min_x, _), (max_x, _)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let width = max_x - min_x;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let em = style.size() * crate::chart::style::EM;
        let ex = em * X_HEIGHT;
        let baseline_offset = match style.anchor().v_pos {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.5 * ex,
            VPos::Bottom => -0.5 * ex,
        } as f32;
        let font = if matches!(style.style(), FontStyle::Bold) {
            self.bold.clone()
        } else {
            self.regular.clone()
        };
        let size = style.size() as f32;
        let scaled = font.as_scaled(PxScale::from(size));
        let transform = style.transform();
        let (w, h) = self.get_size();
        // plotters puts the baseline half an em below the top of the box; so do we.
        let baseline = size / 2.0;
        // The glyphs are placed with the baseline at `baseline`; move it to the anchor's.
        let shift = (baseline_offset - baseline).round() as i32;
        let mut caret = 0.0f32;
        let mut previous = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = previous {
                caret += scaled.kern(p, id);
            }
            previous = Some(id);
            let glyph = id.with_scale_and_position(size, point(caret, baseline));
            caret += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let (left, top) = (
                bounds.min.x as i32 + dx - min_x,
                bounds.min.y as i32 + shift,
            );
            let inner = &mut self.inner;
            let mut failed = None;
            // Straight into the bitmap: no list of pixels per glyph, and pixels a glyph barely
            // touches (under 1/512) are left alone, as they would not change a byte.
            outline.draw(|x, y, coverage| {
                if coverage < 1.0 / 512.0 || failed.is_some() {
                    return;
                }
                let (x, y) = transform.transform(left + x as i32, top + y as i32);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                    let shade = BackendColor {
                        alpha: color.alpha * f64::from(coverage.min(1.0)),
                        rgb: color.rgb,
                    };
                    if let Err(e) = inner.draw_pixel((x, y), shade) {
                        failed = Some(e);
                    }
                }
            });
            if let Some(e) = failed {
                return Err(e);
            }
        }
        Ok(())
    }
}
