//! Replacing an output folder whole or not at all.
//!
//! `OUT/NAME/` is never written in place. Under an advisory lock on `OUT/.NAME.lock` (held
//! until the swap is done, so a second ukprod waits, saying so), the new folder is built
//! beside it as `OUT/.NAME.staging-PID-N/`: the new files, plus hard links to (or copies of)
//! the old folder's files that this write keeps (other commands' outputs, the user's own
//! files). Then it is swapped in:
//!
//! - on Linux, by one `renameat2(RENAME_EXCHANGE)`: the old folder lands under the staging
//!   name and is removed; a crash at any moment leaves `OUT/NAME/` old or new, complete;
//! - elsewhere, or on a file system without the exchange, by two renames: `NAME` to
//!   `.NAME.old-PID-N`, the staging folder to `NAME`. A crash between the two leaves no
//!   `NAME` but a complete `.NAME.old-…`, which the next write into `NAME` renames back
//!   before anything else (see [`repair`]).
//!
//! Leftover staging and old folders (from a kill, a crash, a full disk) are removed by the
//! next write into the same `OUT`, for every name whose lock is free. Guarantees hold against
//! the process dying (Ctrl-C, SIGTERM, SIGKILL), not against power loss (nothing is fsynced).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;

use super::OutputFile;

/// What one write replaced: the folder, its manifest's name, and the files the folder held
/// before (name and bytes, top-level regular files only), for `rerun` to compare.
#[derive(Debug, Clone)]
pub struct Replaced {
    /// The output folder, as the command named it.
    pub dir: PathBuf,
    /// The manifest among the files written, if any.
    pub manifest: Option<String>,
    /// The folder's files before the write.
    pub before: Vec<(String, Vec<u8>)>,
}

/// When set, every write records what it replaced (`rerun` alone turns this on).
static RECORDING: Mutex<Option<Vec<Replaced>>> = Mutex::new(None);

/// Run `f`, recording every folder it writes and what that folder held before.
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Replaced>) {
    set_recording(Some(Vec::new()));
    let out = f();
    let replaced = set_recording(None).unwrap_or_default();
    (out, replaced)
}

fn set_recording(value: Option<Vec<Replaced>>) -> Option<Vec<Replaced>> {
    // A poisoned lock only means a panic elsewhere; the list itself is still whole.
    let mut guard = RECORDING.lock().unwrap_or_else(|e| e.into_inner());
    std::mem::replace(&mut *guard, value)
}

fn is_recording() -> bool {
    RECORDING.lock().map(|g| g.is_some()).unwrap_or(false)
}

fn record(replaced: Replaced) {
    if let Some(list) = RECORDING.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        list.push(replaced);
    }
}

const STAGING: &str = ".staging-";
const OLD: &str = ".old-";

/// The lock file beside folder `name`: kept (an empty file), since removing a lock file
/// another process is waiting on would let a third one in.
fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.lock"))
}

/// A fresh name beside `name` of the given kind, unique within this process and across
/// processes (the process id).
fn aside_name(name: &str, kind: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{name}{kind}{}-{n}", std::process::id())
}

/// Which folder name a leftover staging or old folder belongs to, and whether it is an old
/// one: `.NAME.staging-PID-N` → (`NAME`, false).
fn leftover_of(entry: &str) -> Option<(&str, bool)> {
    let rest = entry.strip_prefix('.')?;
    let (name, old, tail) = match rest.rfind(STAGING) {
        Some(i) => (&rest[..i], false, &rest[i + STAGING.len()..]),
        None => {
            let i = rest.rfind(OLD)?;
            (&rest[..i], true, &rest[i + OLD.len()..])
        }
    };
    let (pid, n) = tail.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (!name.is_empty() && digits(pid) && digits(n)).then_some((name, old))
}

/// The advisory lock on one output folder, released when dropped (closing the file).
struct FolderLock {
    _file: Option<File>,
}

/// Take the lock on `OUT/NAME`, waiting (with a message) while another ukprod holds it.
fn lock(parent: &Path, name: &str, dir: &Path) -> anyhow::Result<FolderLock> {
    let path = lock_path(parent, name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            crate::output::errln!(
                "waiting: another ukprod is writing {}/ (lock {})",
                dir.display(),
                path.display()
            );
            file.lock()
                .with_context(|| format!("cannot lock {}", path.display()))?;
        }
        // A file system without locks: staging still keeps each folder whole.
        Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
            return Ok(FolderLock { _file: None });
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", path.display()));
        }
    }
    Ok(FolderLock { _file: Some(file) })
}

/// Put folder `name` in `parent` back in order after an interrupted write; the caller holds
/// its lock. A missing folder with an old copy beside it (a crash between the two renames)
/// gets the old copy back; every other leftover staging or old folder is removed.
fn repair(parent: &Path, name: &str) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let mut leftovers: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let entry = e.file_name().to_string_lossy().into_owned();
            let (of, old) = leftover_of(&entry)?;
            (of == name).then(|| (entry.clone(), old))
        })
        .collect();
    let dir = parent.join(name);
    if std::fs::symlink_metadata(&dir).is_err()
        && let Some(i) = leftovers.iter().position(|(_, old)| *old)
    {
        let (old, _) = leftovers.remove(i);
        std::fs::rename(parent.join(&old), &dir).with_context(|| {
            format!(
                "cannot restore {} from {}, left by an interrupted run",
                dir.display(),
                parent.join(&old).display()
            )
        })?;
        crate::output::errln!(
            "restored {}/ from the copy an interrupted run left beside it",
            dir.display()
        );
    }
    for (entry, _) in leftovers {
        let path = parent.join(&entry);
        std::fs::remove_dir_all(&path).with_context(|| {
            format!(
                "cannot remove {}, left by an interrupted run",
                path.display()
            )
        })?;
    }
    Ok(())
}

/// Repair every other folder in `parent` with leftovers whose lock is free (one being written
/// right now is left to its writer).
fn repair_others(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let entry = e.file_name().to_string_lossy().into_owned();
            leftover_of(&entry).map(|(of, _)| of.to_string())
        })
        .filter(|of| of != name)
        .collect();
    names.sort();
    names.dedup();
    for other in names {
        let Ok(file) = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(parent, &other))
        else {
            continue;
        };
        if file.try_lock().is_ok() {
            // Best effort: this write is about another folder.
            let _ = repair(parent, &other);
        }
    }
}

/// Removes a staging folder unless it was swapped in.
struct Staging {
    path: PathBuf,
    armed: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Give `to` the file or folder `from`: a hard link (ukprod never writes a file in place, so
/// sharing it is safe), else a copy; symbolic links stay links; folders are rebuilt.
fn carry(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(from)?;
    if meta.file_type().is_symlink() {
        #[cfg(unix)]
        return std::os::unix::fs::symlink(std::fs::read_link(from)?, to);
        #[cfg(not(unix))]
        return std::fs::copy(from, to).map(|_| ());
    }
    if meta.is_dir() {
        std::fs::create_dir(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            carry(&entry.path(), &to.join(entry.file_name()))?;
        }
        return std::fs::set_permissions(to, meta.permissions());
    }
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}

/// Swap the complete `staging` folder in at `dir`, which exists.
fn swap(staging: &Path, dir: &Path, parent: &Path, name: &str) -> anyhow::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => {
                // The old folder is now under the staging name.
                if let Err(e) = std::fs::remove_dir_all(staging) {
                    crate::output::errln!(
                        "warning: cannot remove the previous {}/ (now {}): {e}; the next run removes it",
                        dir.display(),
                        staging.display()
                    );
                }
                return Ok(());
            }
            // No exchange on this kernel or file system: two renames instead.
            Err(e)
                if e == rustix::io::Errno::INVAL
                    || e == rustix::io::Errno::NOSYS
                    || e == rustix::io::Errno::OPNOTSUPP => {}
            Err(e) => {
                return Err(std::io::Error::from(e))
                    .with_context(|| format!("cannot move the new {}/ into place", dir.display()));
            }
        }
    }
    let old = parent.join(aside_name(name, OLD));
    std::fs::rename(dir, &old)
        .with_context(|| format!("cannot move the previous {}/ aside", dir.display()))?;
    if let Err(e) = std::fs::rename(staging, dir) {
        // Put the old folder back; if even that fails, the next run does (see `repair`).
        let _ = std::fs::rename(&old, dir);
        return Err(e)
            .with_context(|| format!("cannot move the new {}/ into place", dir.display()));
    }
    if let Err(e) = std::fs::remove_dir_all(&old) {
        crate::output::errln!(
            "warning: cannot remove the previous {}/ (now {}): {e}; the next run removes it",
            dir.display(),
            old.display()
        );
    }
    Ok(())
}

/// Replace folder `dir` with one holding `files` plus the entries of the old folder that
/// `keep` accepts, whole or not at all (see the module comment). Returns the names of the
/// old folder's files that were not kept and not replaced.
pub(super) fn replace(
    dir: &Path,
    files: &[&OutputFile],
    stale: impl Fn(&Path) -> anyhow::Result<Vec<String>>,
) -> anyhow::Result<Vec<String>> {
    let create_error = |e: std::io::Error| {
        anyhow::Error::new(e).context(format!("cannot create the output folder {}", dir.display()))
    };
    // A folder reached through a symbolic link is replaced where it really is.
    let real = match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(dir).map_err(create_error)?
        }
        _ => dir.to_path_buf(),
    };
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            anyhow::anyhow!("{} is not a folder name ukprod can write", dir.display())
        })?;
    let parent = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(create_error)?;
    let _lock = lock(&parent, &name, dir)?;
    repair(&parent, &name)?;
    repair_others(&parent, &name);

    let old_meta = match std::fs::metadata(&real) {
        Ok(meta) if meta.is_dir() => Some(meta),
        Ok(_) => anyhow::bail!(
            "cannot create the output folder {}: a file of that name is in the way",
            dir.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(create_error(e)),
    };
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let mut kept: Vec<String> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    let mut before: Vec<(String, Vec<u8>)> = Vec::new();
    if old_meta.is_some() {
        // Found (and checked) before anything is written, so a bad old manifest writes nothing.
        let stale = stale(&real)?;
        let entries = std::fs::read_dir(&real)
            .with_context(|| format!("cannot list the output folder {}", dir.display()))?;
        for entry in entries {
            let entry = entry
                .with_context(|| format!("cannot list the output folder {}", dir.display()))?;
            let entry_name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if is_recording()
                && !is_dir
                && let Ok(bytes) = std::fs::read(entry.path())
            {
                before.push((entry_name.clone(), bytes));
            }
            if names.contains(&entry_name.as_str()) {
                if is_dir {
                    anyhow::bail!(
                        "cannot write {}: a folder of that name is in the way; move or remove it and run again (nothing was written)",
                        dir.join(&entry_name).display()
                    );
                }
            } else if entry_name.starts_with(".ukprod-") && !is_dir {
                // A temporary file an interrupted older ukprod left.
            } else if stale.contains(&entry_name) && !is_dir {
                dropped.push(entry_name);
            } else {
                kept.push(entry_name);
            }
        }
    }

    let staging_path = parent.join(aside_name(&name, STAGING));
    std::fs::create_dir(&staging_path).with_context(|| {
        format!(
            "cannot create the staging folder {}",
            staging_path.display()
        )
    })?;
    let mut staging = Staging {
        path: staging_path,
        armed: true,
    };
    for file in files {
        let path = staging.path.join(&file.name);
        File::create_new(&path)
            .and_then(|mut f| f.write_all(&file.bytes))
            .with_context(|| format!("cannot write {}", dir.join(&file.name).display()))?;
    }
    for entry in &kept {
        carry(&real.join(entry), &staging.path.join(entry)).with_context(|| {
            format!(
                "cannot keep {} in the new folder",
                dir.join(entry).display()
            )
        })?;
    }
    match old_meta {
        Some(meta) => {
            // The new folder gets the old one's permissions, as writing in place kept them.
            let _ = std::fs::set_permissions(&staging.path, meta.permissions());
            swap(&staging.path, &real, &parent, &name)?;
        }
        None => std::fs::rename(&staging.path, &real)
            .with_context(|| format!("cannot move the new {}/ into place", dir.display()))?,
    }
    staging.armed = false;
    if is_recording() {
        record(Replaced {
            dir: dir.to_path_buf(),
            manifest: files
                .iter()
                .map(|f| f.name.clone())
                .find(|n| super::is_manifest(n)),
            before,
        });
    }
    dropped.sort();
    Ok(dropped)
}
