//! Article loading: from paths on the command line to decoded articles with
//! their outlet metadata.
//!
//! Loading is the first stage of the pipeline and the only one that touches
//! the file system. It is split in two so the expensive part can run in
//! parallel: [`collect`] walks the arguments (cheap, sequential, sorted, so
//! every run sees the articles in the same order), then [`load`] reads,
//! hashes and decodes one file (independent of every other file).
//!
//! Problems are values, not errors: a file that cannot be read or decoded
//! becomes a [`Problem`] (`path: what went wrong`) that the caller reports
//! before going on with the rest of the batch, as ripgrep does.
//!
//! Decoding accepts what news archives contain: UTF-8 (a byte-order mark is
//! dropped), UTF-16 with a byte-order mark, and otherwise Windows-1252, the
//! superset of Latin-1 that old web pages were written in. Offsets stored
//! later are byte offsets into the decoded UTF-8 text.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

/// The file extension of article files inside an ingested directory.
pub const ARTICLE_EXTENSION: &str = "txt";

/// The manifest file names read automatically at the root of an ingested
/// directory.
pub const MANIFEST_NAMES: [&str; 2] = ["manifest.tsv", "manifest.csv"];

/// The columns a manifest may have; `file` is required.
pub const MANIFEST_COLUMNS: [&str; 5] = ["file", "outlet", "url", "published", "title"];

/// How far into a file [`decode`] looks for NUL bytes to call it binary.
const BINARY_SNIFF: usize = 8 * 1024;

/// One article, decoded, with its metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// The path as ingested: the argument, joined with the path inside a
    /// directory. This is the article's identity in the database.
    pub path: String,
    pub meta: Metadata,
    /// sha256 of the raw bytes, in lower-case hex.
    pub content_hash: String,
    /// The decoded text; every stored offset is a byte offset into it.
    pub text: String,
    /// Size of the file in bytes, before decoding.
    pub bytes: usize,
}

/// What is known about an article besides its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The manifest's outlet, else the host of the first http(s) URL in the
    /// text (without `www.`), else the file stem.
    pub outlet: String,
    pub url: Option<String>,
    /// As the manifest gives it (ISO-8601 is expected, not enforced).
    pub published: Option<String>,
    pub title: Option<String>,
}

/// Something wrong with one path, reported as `path: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl Problem {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A file to load as an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Where to read it.
    pub file: PathBuf,
    /// The path as ingested (see [`Article::path`]).
    pub path: String,
    /// The path inside the ingested directory, with `/` separators (the
    /// file name for a file named on the command line). Manifest rows name
    /// articles by it.
    pub relative: String,
    /// The manifest found at the root of the directory this file came from,
    /// as an index into [`Collection::manifests`].
    pub manifest: Option<usize>,
}

/// What [`collect`] found under the command-line paths.
#[derive(Debug, Default)]
pub struct Collection {
    /// Article files, sorted by path, each once.
    pub sources: Vec<Source>,
    /// Manifests found at the root of ingested directories.
    pub manifests: Vec<PathBuf>,
    /// Files passed over, with why (not failures: a note for the user).
    pub skipped: Vec<Problem>,
    /// Paths that could not be walked (failures).
    pub failed: Vec<Problem>,
}

/// Walk `paths`: files are taken as they are, directories recursively.
/// Article files are `*.txt`; other files are skipped with a note. Hidden
/// files and directories inside a directory (`.git`) are passed over
/// silently, and so is the directory's own manifest.
pub fn collect(paths: &[PathBuf]) -> Collection {
    let mut out = Collection::default();
    for arg in paths {
        let meta = match std::fs::metadata(arg) {
            Ok(meta) => meta,
            Err(err) => {
                out.failed
                    .push(Problem::new(display(arg), unreadable(arg, &err)));
                continue;
            }
        };
        if meta.is_dir() {
            collect_dir(arg, &mut out);
        } else {
            let relative = arg
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            push_source(&mut out, arg.clone(), relative, None, meta.file_type());
        }
    }
    out.sources.sort_by(|a, b| a.path.cmp(&b.path));
    out.sources.dedup_by(|a, b| a.path == b.path);
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn collect_dir(root: &Path, out: &mut Collection) {
    let manifest = MANIFEST_NAMES
        .iter()
        .map(|name| root.join(name))
        .find(|p| p.is_file())
        .map(|p| {
            out.manifests.push(p);
            out.manifests.len() - 1
        });
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(root);
                let message = err
                    .io_error()
                    .map_or_else(|| err.to_string(), |io| unreadable(path, io));
                out.failed.push(Problem::new(display(path), message));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if entry.depth() == 1 && MANIFEST_NAMES.contains(&relative.as_str()) {
            continue;
        }
        let file_type = entry.file_type();
        push_source(out, entry.into_path(), relative, manifest, file_type);
    }
}

fn push_source(
    out: &mut Collection,
    file: PathBuf,
    relative: String,
    manifest: Option<usize>,
    file_type: std::fs::FileType,
) {
    let path = display(&file);
    let article = file.extension().is_some_and(|e| e == ARTICLE_EXTENSION);
    if article && !file_type.is_file() {
        // Reading a FIFO blocks until something writes to it, forever if
        // nothing does: only regular files are read.
        out.failed.push(Problem::new(
            path,
            format!("not a regular file ({}), skipped", kind_of(file_type)),
        ));
    } else if article {
        out.sources.push(Source {
            file,
            path,
            relative,
            manifest,
        });
    } else {
        out.skipped
            .push(Problem::new(path, "not a .txt article, skipped"));
    }
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Why `path` could not be read: the system's message, except for a
/// symbolic link whose target is missing, which the system reports as the
/// link itself not existing.
fn unreadable(path: &Path, err: &std::io::Error) -> String {
    let dangling = err.kind() == std::io::ErrorKind::NotFound
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if dangling {
        let target = std::fs::read_link(path).unwrap_or_default();
        format!(
            "broken symbolic link (its target {} does not exist)",
            target.display()
        )
    } else {
        err.to_string()
    }
}

/// What kind of file something that is neither a regular file nor a
/// directory is.
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// One manifest row: metadata for one article. Empty fields are `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManifestRow {
    pub file: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub title: Option<String>,
}

/// A manifest file: article metadata by file name.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    pub path: PathBuf,
    /// Rows in file order; a row whose file repeats an earlier one is
    /// dropped with a warning in [`Manifest::warnings`].
    pub rows: Vec<ManifestRow>,
    pub warnings: Vec<String>,
    /// Row index and line number by `file`.
    index: foldhash::HashMap<String, (usize, usize)>,
}

impl Manifest {
    /// Read a manifest: tab-separated if its header line has a tab, else
    /// comma-separated. The header is required and may only name
    /// [`MANIFEST_COLUMNS`], in any order.
    pub fn read(path: &Path) -> anyhow::Result<Manifest> {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading manifest {}", path.display()))?;
        Manifest::parse(path, &bytes)
    }

    /// [`Manifest::read`] on bytes already read; `path` names it in errors.
    pub fn parse(path: &Path, bytes: &[u8]) -> anyhow::Result<Manifest> {
        let name = path.display();
        // Spreadsheets save manifests as UTF-16 or Windows-1252 as often as
        // UTF-8: decoded as articles are.
        let decoded = decode(bytes).map_err(|Binary| {
            anyhow::anyhow!("manifest {name}: binary file, not a TSV or CSV manifest")
        })?;
        if decoded.text.trim().is_empty() {
            bail!(
                "manifest {name}: empty file (a header line is required: {})",
                MANIFEST_COLUMNS.join(", ")
            );
        }
        let bytes = decoded.text.as_bytes();
        let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let tsv = header.contains(&b'\t');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(if tsv { b'\t' } else { b',' })
            // In TSV a `"` is an ordinary character ("Putin says "hope"").
            .quoting(!tsv)
            .flexible(true)
            .from_reader(bytes);
        let columns: Vec<String> = reader
            .headers()
            .with_context(|| format!("manifest {name}: unreadable header"))?
            .iter()
            .map(|c| c.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        let mut index = foldhash::HashMap::default();
        for (i, column) in columns.iter().enumerate() {
            if !MANIFEST_COLUMNS.contains(&column.as_str()) {
                bail!(
                    "manifest {name}: unknown column `{column}` (the columns are {})",
                    MANIFEST_COLUMNS.join(", ")
                );
            }
            if index.insert(column.as_str(), i).is_some() {
                bail!("manifest {name}: column `{column}` appears twice");
            }
        }
        let Some(&file_column) = index.get("file") else {
            bail!(
                "manifest {name}: the header has no `file` column (a header line is required: {})",
                MANIFEST_COLUMNS.join(", ")
            );
        };
        let mut manifest = Manifest {
            path: path.to_path_buf(),
            ..Manifest::default()
        };
        // One record, refilled row after row.
        let mut record = csv::StringRecord::new();
        for line in 2.. {
            let more = reader
                .read_record(&mut record)
                .with_context(|| format!("manifest {name}: line {line}"))?;
            if !more {
                break;
            }
            let field = |column: &str| {
                index
                    .get(column)
                    .and_then(|&i| record.get(i))
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
            };
            let Some(file) = record.get(file_column).map(normalize_relative) else {
                continue;
            };
            if file.is_empty() {
                if record.iter().any(|f| !f.trim().is_empty()) {
                    manifest
                        .warnings
                        .push(format!("{name}: line {line} has no file, ignored"));
                }
                continue;
            }
            if let Some(&(_, first)) = manifest.index.get(&file) {
                manifest.warnings.push(format!(
                    "{name}: line {line} repeats {file} (first on line {first}), ignored"
                ));
                continue;
            }
            manifest
                .index
                .insert(file.clone(), (manifest.rows.len(), line));
            manifest.rows.push(ManifestRow {
                outlet: field("outlet"),
                url: field("url"),
                published: field("published"),
                title: field("title"),
                file,
            });
        }
        Ok(manifest)
    }

    /// The row for `source`: matched on the path inside its directory, the
    /// path as ingested, then the bare file name.
    pub fn row_for(&self, source: &Source) -> Option<usize> {
        let row = |key: &str| self.index.get(key).map(|&(row, _)| row);
        // Each key only when the one before is missing: most rows match
        // on the first, and the second takes a copy of the path.
        row(&source.relative)
            .or_else(|| row(&normalize_relative(&source.path)))
            .or_else(|| row(source.relative.rsplit('/').next().unwrap_or_default()))
    }
}

/// `./a\b.txt` → `a/b.txt`, so manifests written on any system match.
fn normalize_relative(file: &str) -> String {
    let file = file.trim();
    if file.contains('\\') {
        let file = file.replace('\\', "/");
        return file.strip_prefix("./").unwrap_or(&file).to_string();
    }
    file.strip_prefix("./").unwrap_or(file).to_string()
}

/// An article loaded from its source, with notes on how it was decoded.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub article: Article,
    /// Things the user should know that did not stop the article
    /// (`not UTF-8, decoded as windows-1252`).
    pub notes: Vec<Problem>,
}

/// Ask the kernel to start reading `sources` into its page cache, and
/// return without waiting: an ingest calls it for the chunks after the one
/// it analyses. Articles scraped in bulk are tens of thousands of small
/// files that are rarely cached, and read one after another each read
/// waited for the disk: with the page cache dropped, a 100,000-article
/// ingest spent 4.2 s waiting for its files, and its storing phase took
/// 10.8-11.0 s against 8.6-9.1 s with read-ahead (7.4-8.4 s cached). A
/// file that cannot be opened is left to [`load`] to report.
pub fn prefetch(sources: &[Source]) {
    #[cfg(target_os = "linux")]
    for source in sources {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking: opening a FIFO put in a file's place would
        // otherwise wait for a writer.
        let Ok(file) = std::fs::File::options()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&source.file)
        else {
            continue;
        };
        // SAFETY: the descriptor stays open for the call, which only
        // advises the kernel; its answer does not matter.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = sources;
}

/// Read, hash and decode one article. `row` is its manifest row, if any.
pub fn load(source: &Source, row: Option<&ManifestRow>) -> Result<Loaded, Problem> {
    let problem = |e: std::io::Error| Problem::new(&source.path, unreadable(&source.file, &e));
    // Checked again here, not only in `collect`: a file replaced by a FIFO
    // in between would block the read forever.
    let file_type = std::fs::metadata(&source.file)
        .map_err(problem)?
        .file_type();
    if !file_type.is_file() {
        let message = format!("not a regular file ({}), skipped", kind_of(file_type));
        return Err(Problem::new(&source.path, message));
    }
    let raw = std::fs::read(&source.file).map_err(problem)?;
    let decoded =
        decode(&raw).map_err(|Binary| Problem::new(&source.path, "binary file, skipped"))?;
    let empty = if raw.is_empty() {
        Some("empty file, no quotations")
    } else if decoded.text.trim().is_empty() {
        Some("no text (only white space), no quotations")
    } else {
        None
    };
    let notes = decoded
        .note
        .into_iter()
        .chain(empty)
        .map(|note| Problem::new(&source.path, note))
        .collect();
    let meta = metadata(source, row, &decoded.text);
    Ok(Loaded {
        article: Article {
            path: source.path.clone(),
            meta,
            content_hash: sha256_hex(&raw),
            text: decoded.text,
            bytes: raw.len(),
        },
        notes,
    })
}

fn metadata(source: &Source, row: Option<&ManifestRow>, text: &str) -> Metadata {
    let row = row.cloned().unwrap_or_default();
    let outlet = row
        .outlet
        .or_else(|| row.url.as_deref().and_then(url_host))
        .or_else(|| first_url_host(text))
        .unwrap_or_else(|| {
            Path::new(&source.relative)
                .file_stem()
                .map_or_else(|| source.path.clone(), |s| s.to_string_lossy().into_owned())
        });
    Metadata {
        outlet,
        url: row.url,
        published: row.published,
        title: row.title,
    }
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Decoded article text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// How the text was decoded, when that is worth telling.
    pub note: Option<&'static str>,
}

/// The file looks binary: NUL bytes near its start, and no UTF-16 mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binary;

/// Decode an article's bytes (see the module docs for the rules).
///
/// ```
/// use quotetrail::article::decode;
/// assert_eq!(decode("\u{feff}“Hope,” he said.".as_bytes()).unwrap().text, "“Hope,” he said.");
/// assert_eq!(decode(b"caf\xe9").unwrap().text, "café");
/// assert!(decode(b"PK\x03\x04\0\0").is_err());
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, Binary> {
    for (bom, encoding, note) in [
        (
            &b"\xFF\xFE"[..],
            encoding_rs::UTF_16LE,
            "UTF-16LE (byte-order mark), decoded",
        ),
        (
            &b"\xFE\xFF"[..],
            encoding_rs::UTF_16BE,
            "UTF-16BE (byte-order mark), decoded",
        ),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, malformed) = encoding.decode_without_bom_handling(rest);
            return Ok(Decoded {
                text: text.into_owned(),
                note: Some(if malformed {
                    "malformed UTF-16, bad units replaced with U+FFFD"
                } else {
                    note
                }),
            });
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        return Err(Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            note: None,
        }),
        // A UTF-8 article with a stray bad byte (a truncated download, a
        // splice of two files) is still UTF-8: read as Windows-1252 every
        // curly quotation mark in it would become `â€œ`.
        Err(_) if mostly_utf8(bytes) => Ok(Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            note: Some("invalid UTF-8, bad bytes replaced with U+FFFD"),
        }),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(Decoded {
                text: text.into_owned(),
                note: Some("not UTF-8, decoded as windows-1252"),
            })
        }
    }
}

/// Whether `bytes`, which are not valid UTF-8, hold more well-formed
/// multi-byte UTF-8 characters than invalid sequences: Windows-1252 text
/// almost never forms a valid UTF-8 sequence by chance.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > invalid
}

/// The host of the first http(s) URL in `text`, without `www.`.
pub fn first_url_host(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find("http") {
        let candidate = &rest[at..];
        if let Some(host) = url_host(candidate) {
            return Some(host);
        }
        rest = &candidate[4..];
    }
    None
}

/// The host of `url` if it starts with `http://` or `https://`.
///
/// ```
/// use quotetrail::article::url_host;
/// assert_eq!(url_host("https://www.Reuters.com/world/x").as_deref(), Some("reuters.com"));
/// assert_eq!(url_host("ftp://example.org"), None);
/// ```
pub fn url_host(url: &str) -> Option<String> {
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        url.as_bytes()
            .get(..s.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(s.as_bytes()))
    })?;
    // The scheme matched ASCII bytes, so its end is a character boundary.
    let rest = &url[scheme.len()..];
    let authority = rest
        .split(|c: char| c.is_whitespace() || "/?#\"'<>()[]{}|\\".contains(c))
        .next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?.trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let valid = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    valid.then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf16_with_either_bom() {
        let le: Vec<u8> = b"\xFF\xFE"
            .iter()
            .copied()
            .chain("“Oui”".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = b"\xFE\xFF"
            .iter()
            .copied()
            .chain("“Oui”".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (bytes, order) in [(le, "LE"), (be, "BE")] {
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.text, "“Oui”");
            assert_eq!(
                decoded.note.map(String::from),
                Some(format!("UTF-16{order} (byte-order mark), decoded"))
            );
        }
    }

    #[test]
    fn utf8_with_a_stray_byte_stays_utf8() {
        let decoded = decode(b"\xE2\x80\x9CHope,\xE2\x80\x9D he \xFFsaid").unwrap();
        assert_eq!(decoded.text, "“Hope,” he \u{FFFD}said");
        assert_eq!(
            decoded.note,
            Some("invalid UTF-8, bad bytes replaced with U+FFFD")
        );
    }

    #[test]
    fn windows_1252_fallback_is_noted() {
        let decoded = decode(b"\x93Hope,\x94 he said").unwrap();
        assert_eq!(decoded.text, "“Hope,” he said");
        assert_eq!(decoded.note, Some("not UTF-8, decoded as windows-1252"));
    }

    /// Read-ahead must never block nor fail, whatever stands at a path:
    /// `load` reports the problems.
    #[test]
    fn prefetch_returns_on_anything() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.txt");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "“Oui,” he said.").unwrap();
        let sources: Vec<Source> = [fifo, file, dir.path().join("gone.txt"), dir.path().into()]
            .into_iter()
            .map(|file| Source {
                path: file.display().to_string(),
                relative: String::new(),
                file,
                manifest: None,
            })
            .collect();
        prefetch(&sources);
        assert!(load(&sources[1], None).is_ok());
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0"), Err(Binary));
    }

    #[test]
    fn url_hosts() {
        let text = "Read more at (https://www.arise.tv/russia-us/) today";
        assert_eq!(first_url_host(text).as_deref(), Some("arise.tv"));
        assert_eq!(first_url_host("http as a word, http://x"), None);
        assert_eq!(
            url_host("http://user@news.example.com:8080/a").as_deref(),
            Some("news.example.com")
        );
    }

    #[test]
    fn manifest_tsv_with_quotes_and_empty_fields() {
        let tsv = "file\toutlet\turl\tpublished\ttitle\n\
                   a.txt\tarise.tv\t\t\tPutin says \"hope\"\n\
                   ./sub\\b.txt\t\thttps://www.nation.com.pk/x\t2025-02-27\t\n";
        let m = Manifest::parse(Path::new("m.tsv"), tsv.as_bytes()).unwrap();
        assert_eq!(m.rows.len(), 2);
        assert_eq!(m.rows[0].title.as_deref(), Some("Putin says \"hope\""));
        assert_eq!(m.rows[0].url, None);
        assert_eq!(m.rows[1].file, "sub/b.txt");
        assert_eq!(m.rows[1].outlet, None);
    }

    #[test]
    fn manifest_columns_in_any_order_csv() {
        let csv = "title,file\n\"Talks, again\",a.txt\n";
        let m = Manifest::parse(Path::new("m.csv"), csv.as_bytes()).unwrap();
        assert_eq!(m.rows[0].title.as_deref(), Some("Talks, again"));
    }

    #[test]
    fn manifest_unknown_column_names_manifest_and_column() {
        let err = Manifest::parse(Path::new("dir/m.tsv"), b"file\tauthor\na.txt\tx\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("dir/m.tsv") && err.contains("`author`"),
            "{err}"
        );
    }

    #[test]
    fn manifest_repeated_file_warns_and_keeps_first() {
        let m = Manifest::parse(Path::new("m.csv"), b"file,outlet\na.txt,x\na.txt,y\n").unwrap();
        assert_eq!(m.rows.len(), 1);
        assert_eq!(m.rows[0].outlet.as_deref(), Some("x"));
        assert_eq!(m.warnings.len(), 1);
    }

    #[test]
    fn outlet_falls_back_to_url_host_then_stem() {
        let source = Source {
            file: PathBuf::from("in/x/story.txt"),
            path: "in/x/story.txt".into(),
            relative: "x/story.txt".into(),
            manifest: None,
        };
        assert_eq!(metadata(&source, None, "no links").outlet, "story");
        assert_eq!(
            metadata(&source, None, "see https://www.tass.com/politics").outlet,
            "tass.com"
        );
        let row = ManifestRow {
            file: "x/story.txt".into(),
            outlet: Some("TASS".into()),
            ..ManifestRow::default()
        };
        assert_eq!(
            metadata(&source, Some(&row), "https://a.com").outlet,
            "TASS"
        );
    }

    #[test]
    fn sha256_is_lower_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
