//! The report directory, written whole or not at all: the files go to a temporary directory
//! next to the output, which is renamed into place only once all of them are written. An
//! existing output directory is replaced only then, and only when it holds nothing but a
//! previous report's files (the four tables and pages, and its `*.svg` pictures) — `--out ~`
//! must never delete someone's home directory.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The files of a report directory, beside the biplots ([`is_biplot_file`]).
pub const REPORT_FILES: [&str; 4] = ["report.html", "report.md", "summary.csv", "crosstab.csv"];

/// Whether `name` is a file a report writes: one of [`REPORT_FILES`], or a picture (`*.svg`).
pub fn is_report_file_name(name: &str) -> bool {
    REPORT_FILES.contains(&name) || (name.ends_with(".svg") && !name.starts_with('.'))
}

/// Refuses an output path that exists but is not a directory of a previous report. Called
/// before the input is read, so a wrong `--out` fails at once, and again before replacing.
pub fn check_out_dir(out: &Path) -> Result<()> {
    let metadata = match fs::symlink_metadata(out) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(Error::io(out, err)),
    };
    if !metadata.is_dir() {
        return Err(Error::Usage(format!(
            "{}: exists and is not a directory; give --out a new directory (or a previous \
             report's, which is replaced)",
            out.display()
        )));
    }
    for entry in fs::read_dir(out).map_err(|err| Error::io(out, err))? {
        let entry = entry.map_err(|err| Error::io(out, err))?;
        let name = entry.file_name();
        let is_report_file = name.to_str().is_some_and(is_report_file_name)
            && entry.file_type().is_ok_and(|kind| kind.is_file());
        if !is_report_file {
            return Err(Error::Usage(format!(
                "{}: holds “{}”, which is not part of a jiyu report; jiyu replaces a directory \
                 only when it holds a previous report — give --out a new directory",
                out.display(),
                name.to_string_lossy()
            )));
        }
    }
    Ok(())
}

/// Writes `files` (name, bytes) as the directory `out`, whole or not at all.
pub fn write_whole<N: AsRef<str>>(out: &Path, files: &[(N, Vec<u8>)]) -> Result<()> {
    check_out_dir(out)?;
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(name) = out.file_name() else {
        return Err(Error::Usage(format!(
            "{}: --out needs a directory name",
            out.display()
        )));
    };
    fs::create_dir_all(&parent).map_err(|err| Error::io(&parent, err))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jiyu-report-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A temporary directory is private (0700); the report gets the permissions a new
        // directory gets (0777 less the umask: 0755 under umask 022).
        builder.permissions(fs::Permissions::from_mode(0o777));
    }
    let staging = builder.tempdir_in(&parent).map_err(|err| {
        Error::io(&parent, err).context("cannot create a temporary directory here")
    })?;
    for (file, bytes) in files {
        let file = file.as_ref();
        let path = staging.path().join(file);
        fs::write(&path, bytes).map_err(|err| Error::io(out.join(file), err))?;
    }

    if out.exists() {
        // Move the old report aside, put the new one in place, then delete the old one; if
        // the second rename fails the old report goes back.
        let aside = tempfile::Builder::new()
            .prefix(&format!(".{}.old-", name.to_string_lossy()))
            .tempdir_in(&parent)
            .map_err(|err| Error::io(&parent, err))?
            .keep();
        fs::rename(out, &aside).map_err(|err| Error::io(out, err))?;
        if let Err(err) = fs::rename(staging.path(), out) {
            if fs::rename(&aside, out).is_ok() {
                return Err(Error::io(out, err));
            }
            return Err(Error::io(out, err)
                .note(format!("; the previous report is in {}", aside.display())));
        }
        let _ = staging.keep();
        fs::remove_dir_all(&aside).map_err(|err| Error::io(&aside, err))?;
    } else {
        fs::rename(staging.path(), out).map_err(|err| Error::io(out, err))?;
        let _ = staging.keep();
    }
    Ok(())
}
