//! The content folder's git history, read with the `git` command: which
//! commits touched which file, what is not committed yet, and old versions
//! of a file. Translation freshness uses it where a translation has no
//! stamp, and to show what changed since a stamp. Without git, or outside a
//! repository, [`Repo::open`] gives `None` and callers do without.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// A folder inside a git work tree.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The folder git runs in (the site's `content/`).
    dir: PathBuf,
    /// That folder's path inside the repository: `""` or `content/`.
    prefix: String,
    /// A shallow clone (as CI makes) lacks old versions: their absence proves nothing.
    pub shallow: bool,
}

/// When a file last changed: newer first when sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LastChange {
    /// Changed in the work tree and not committed (or never committed).
    Uncommitted,
    /// The commit at this index of [`History::commits`] (0 is the newest).
    Commit(usize),
}

/// Who touched what, for every file under the folder.
#[derive(Debug, Default, Hash)]
pub struct History {
    /// Commit ids, newest first, parents after all their children.
    pub commits: Vec<String>,
    /// Path (relative to the folder) → indexes of the commits that changed it, newest first.
    touched: BTreeMap<String, Vec<usize>>,
    /// Paths changed in the work tree, or not tracked.
    uncommitted: BTreeSet<String>,
    /// Committed paths gone from the work tree (deleted or moved), the
    /// deletion not committed: each might have been moved by a plain `mv`.
    deleted: BTreeSet<String>,
    /// Paths new to git: not tracked, or staged as added.
    untracked: BTreeSet<String>,
}

impl History {
    /// `None` when git knows nothing of the file (outside history, ignored).
    pub fn last_change(&self, rel_path: &str) -> Option<LastChange> {
        if self.uncommitted.contains(rel_path) {
            return Some(LastChange::Uncommitted);
        }
        let newest = *self.touched.get(rel_path)?.first()?;
        Some(LastChange::Commit(newest))
    }

    /// Commits that changed the file, newest first.
    pub fn commits_touching(&self, rel_path: &str) -> &[usize] {
        self.touched.get(rel_path).map_or(&[], Vec::as_slice)
    }

    pub fn is_tracked(&self, rel_path: &str) -> bool {
        self.touched.contains_key(rel_path)
    }
}

impl Repo {
    /// The repository `dir` is in, if git is installed and it is in one.
    pub fn open(dir: &Path) -> Option<Repo> {
        let out = git(dir, &["rev-parse", "--show-prefix", "--is-shallow-repository"])?;
        let text = String::from_utf8(out).ok()?;
        let mut lines = text.lines();
        let prefix = lines.next()?.to_string();
        let shallow = lines.next()? == "true";
        Some(Repo { dir: dir.to_path_buf(), prefix, shallow })
    }

    /// The whole history of the folder, in two git runs.
    pub fn history(&self) -> Option<History> {
        let log = git(
            &self.dir,
            &[
                "-c",
                "core.quotePath=false",
                "log",
                "--topo-order",
                "--no-renames",
                "--relative",
                "--name-only",
                "-z",
                "--format=%x01%H",
                "--",
                ".",
            ],
        )
        // A repository without commits yet has no history, and that is fine.
        .unwrap_or_default();
        let mut history = History::default();
        for record in log.split(|b| *b == 1).filter(|r| !r.is_empty()) {
            let mut fields = record.split(|b| *b == 0);
            let commit = String::from_utf8_lossy(fields.next()?).trim().to_string();
            let index = history.commits.len();
            history.commits.push(commit);
            for name in fields {
                let name = String::from_utf8_lossy(name);
                let name = name.trim_start_matches('\n');
                if !name.is_empty() {
                    history.touched.entry(name.to_string()).or_default().push(index);
                }
            }
        }
        let status = git(
            &self.dir,
            &[
                // Several builds may run at once: never take the index lock.
                "--no-optional-locks",
                "status",
                "--porcelain",
                "-z",
                "--no-renames",
                "--untracked-files=all",
                "--",
                ".",
            ],
        )?;
        for entry in status.split(|b| *b == 0).filter(|e| e.len() > 3) {
            // `XY path`, the path relative to the repository's top.
            let path = String::from_utf8_lossy(&entry[3..]);
            if let Some(rel) = path.strip_prefix(&self.prefix) {
                history.uncommitted.insert(rel.to_string());
                match &entry[..2] {
                    b"??" | [b'A', _] => history.untracked.insert(rel.to_string()),
                    [b'D', _] | [_, b'D'] => history.deleted.insert(rel.to_string()),
                    _ => false,
                };
            }
        }
        Some(history)
    }

    /// Every rename git finds by similarity (so a file renamed and edited in
    /// one commit too) in the folder's history and in what is staged to be
    /// committed, in two git runs.
    pub fn renames(&self) -> Renames {
        let mut renames = Renames::default();
        let log = git(
            &self.dir,
            &[
                "-c",
                "core.quotePath=false",
                "log",
                "--topo-order",
                "--reverse",
                "--find-renames",
                "--diff-filter=R",
                "--relative",
                "--name-status",
                "-z",
                "--format=%x01",
                "--",
                ".",
            ],
        );
        for record in log.unwrap_or_default().split(|b| *b == 1) {
            renames.read_name_status(record);
        }
        // `git mv` (or `git add`) done, not committed yet; nothing without a first commit.
        let staged = git(
            &self.dir,
            &[
                "-c",
                "core.quotePath=false",
                "diff",
                "--cached",
                "--find-renames",
                "--diff-filter=R",
                "--relative",
                "--name-status",
                "-z",
                "--",
                ".",
            ],
        );
        renames.read_name_status(&staged.unwrap_or_default());
        renames
    }

    /// Renames git cannot see yet: a file moved with a plain `mv` (and
    /// maybe edited), its deletion not staged, is to git a deleted file and
    /// a new one (untracked, or staged as added). Each deleted Markdown file
    /// git knows no new name for is paired, as git pairs a rename, with the
    /// new one most similar to its last committed version, if at least half
    /// of it is the same; no new file is taken twice. Only the files
    /// involved are read.
    pub fn uncommitted_renames(&self, history: &History, versions: &mut Versions, renames: &mut Renames) {
        let is_markdown = |p: &&String| p.ends_with(".md");
        let gone: Vec<&String> =
            history.deleted.iter().filter(is_markdown).filter(|p| renames.new_name(p).is_none()).collect();
        if gone.is_empty() {
            return;
        }
        let new: Vec<(&String, String)> = history
            .untracked
            .iter()
            .filter(is_markdown)
            .filter_map(|p| Some((p, std::fs::read_to_string(self.dir.join(p)).ok()?)))
            .collect();
        let new: Vec<(&String, LineCounts)> = new.iter().map(|(p, text)| (*p, LineCounts::of(text))).collect();
        let mut pairs: Vec<(u32, &String, &String)> = Vec::new();
        for old_path in gone {
            let Some(old) = history
                .commits_touching(old_path)
                .iter()
                .find_map(|&c| versions.read(history.commits.get(c)?, old_path))
            else {
                continue;
            };
            let lines = LineCounts::of(&old);
            for (new_path, text) in &new {
                let score = lines.similarity(text);
                if score >= 50 {
                    pairs.push((score, old_path, new_path));
                }
            }
        }
        // Best pairs first; ties in path order, so the result never depends on chance.
        pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(b.2)));
        let (mut olds, mut news) = (BTreeSet::new(), BTreeSet::new());
        for (_, old_path, new_path) in pairs {
            if !olds.contains(old_path) && !news.contains(new_path) {
                olds.insert(old_path);
                news.insert(new_path);
                renames.moves.push((old_path.clone(), new_path.clone()));
                renames.unstaged.insert(new_path.clone());
            }
        }
    }

    /// A reader of old versions of files (one `git cat-file` for all of them).
    pub fn versions(&self) -> Option<Versions> {
        let mut child = Command::new("git")
            .current_dir(&self.dir)
            .args(["cat-file", "--batch"])
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        Some(Versions { prefix: self.prefix.clone(), child, stdin: Some(stdin), stdout })
    }
}

/// Files renamed (paths relative to the folder), oldest rename first.
#[derive(Debug, Default)]
pub struct Renames {
    /// (old path, new path).
    moves: Vec<(String, String)>,
    /// New paths of the moves git does not know of yet (see
    /// [`Repo::uncommitted_renames`]).
    unstaged: BTreeSet<String>,
}

impl Renames {
    /// Where the file once at `rel_path` is now, following one rename after
    /// another; `None` if it was never renamed.
    pub fn new_name(&self, rel_path: &str) -> Option<String> {
        let mut name = rel_path;
        for (old, new) in &self.moves {
            if old == name {
                name = new;
            }
        }
        (name != rel_path).then(|| name.to_string())
    }

    /// Whether the file at `rel_path` got that name by a move git does not
    /// know of yet: found by similarity to a deleted file, not staged.
    pub fn is_unstaged(&self, rel_path: &str) -> bool {
        self.unstaged.contains(rel_path)
    }

    /// The names the file now at `rel_path` had before, newest first.
    pub fn former_names(&self, rel_path: &str) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut name = rel_path;
        for (old, new) in self.moves.iter().rev() {
            if new == name && !names.contains(old) {
                names.push(old.clone());
                name = old;
            }
        }
        names
    }

    /// `--name-status -z` lines of renames: `R<score>\0old\0new\0`, in order.
    fn read_name_status(&mut self, text: &[u8]) {
        let mut fields =
            text.split(|b| *b == 0).map(|f| String::from_utf8_lossy(f).trim_start_matches('\n').to_string());
        while let Some(status) = fields.next() {
            if !status.starts_with('R') {
                continue;
            }
            if let (Some(old), Some(new)) = (fields.next(), fields.next()) {
                self.moves.push((old, new));
            }
        }
    }
}

/// A text's lines (trailing spaces and line endings aside) and how often
/// each occurs, to tell how much of it another text keeps.
struct LineCounts<'a> {
    counts: BTreeMap<&'a str, usize>,
    /// The text's size in bytes, a line ending counted as one.
    size: usize,
}

impl<'a> LineCounts<'a> {
    fn of(text: &'a str) -> Self {
        let mut counts = BTreeMap::new();
        let mut size = 0;
        for line in text.lines().map(str::trim_end) {
            *counts.entry(line).or_insert(0) += 1;
            size += line.len() + 1;
        }
        LineCounts { counts, size }
    }

    /// Percent of the larger of the two texts that both have (as git scores
    /// a rename: bytes kept over the larger size), counting lines.
    fn similarity(&self, other: &LineCounts) -> u32 {
        let larger = self.size.max(other.size);
        if larger == 0 || self.size.min(other.size) * 2 < larger {
            return 0;
        }
        let kept: usize = other
            .counts
            .iter()
            .filter_map(|(line, n)| Some((line.len() + 1) * (*n).min(*self.counts.get(line)?)))
            .sum();
        u32::try_from(kept * 100 / larger).unwrap_or(100)
    }
}

/// Old versions of files, read on demand.
pub struct Versions {
    prefix: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Versions {
    /// The file at `rel_path` (relative to the folder) as of `commit`, if it
    /// existed there and is text.
    pub fn read(&mut self, commit: &str, rel_path: &str) -> Option<String> {
        let stdin = self.stdin.as_mut()?;
        writeln!(stdin, "{commit}:{}{rel_path}", self.prefix).ok()?;
        stdin.flush().ok()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).ok()?;
        // `<id> blob <size>`, or `<request> missing`.
        let mut parts = header.split_whitespace();
        let (_, kind, size) = (parts.next()?, parts.next()?, parts.next()?);
        let size: usize = size.parse().ok()?;
        let mut bytes = vec![0; size + 1];
        self.stdout.read_exact(&mut bytes).ok()?;
        bytes.pop();
        if kind != "blob" {
            return None;
        }
        String::from_utf8(bytes).ok()
    }
}

impl Drop for Versions {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// When `commit` was committed, in UTC as `2026-11-29T09:40:00Z`: the
/// committer's time, which moves forward with the site's history whatever
/// the clocks of the machines that build it. Strings of this one shape
/// order as the times do.
pub fn commit_date(dir: &Path, commit: &str) -> Option<String> {
    let stdout = git(
        dir,
        &[
            "-c",
            "log.showSignature=false",
            "log",
            "-1",
            "--format=%cd",
            "--date=format-local:%Y-%m-%dT%H:%M:%SZ",
            commit,
        ],
    )?;
    let date = String::from_utf8(stdout).ok()?.trim().to_string();
    is_utc_date(&date).then_some(date)
}

/// `YYYY-MM-DDTHH:MM:SSZ`, digits where digits go.
pub fn is_utc_date(text: &str) -> bool {
    let shape = b"dddd-dd-ddTdd:dd:ddZ";
    text.len() == shape.len()
        && text.bytes().zip(shape).all(|(c, s)| if *s == b'd' { c.is_ascii_digit() } else { c == *s })
}

/// Runs git in `dir`; its stdout, or `None` if git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        // Run from a hook, git's variables would point at the wrong place.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        // format-local dates are in the local time zone: make it UTC.
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_is_the_share_of_the_larger_text_both_keep() {
        let old = LineCounts::of("# Guide\n\nInstall rsync.\nRun it.\n");
        assert_eq!(old.similarity(&LineCounts::of("# Guide\r\n\r\nInstall rsync.  \r\nRun it.\r\n")), 100);
        assert_eq!(old.similarity(&LineCounts::of("# Guide\n\nInstall rsync.\nRun it hourly.\n")), 61);
        assert_eq!(old.similarity(&LineCounts::of("Other.\nText.\nHere and\nthere, longer.\n")), 0);
        // Less than half the size: never a rename, whatever it keeps.
        assert_eq!(old.similarity(&LineCounts::of("# Guide\n")), 0);
        assert_eq!(LineCounts::of("").similarity(&LineCounts::of("")), 0);
    }

    #[test]
    fn renames_are_followed_both_ways_one_after_another() {
        let mut renames = Renames::default();
        // As `log --format=%x01 -z` writes them, oldest first, then one staged.
        renames.read_name_status(b"\0\nR087\0a.md\0b.md\0");
        renames.read_name_status(b"\0\nR100\0other.md\0elsewhere.md\0");
        renames.read_name_status(b"R061\0b.md\0guides/c.md\0");
        assert_eq!(renames.new_name("a.md").as_deref(), Some("guides/c.md"));
        assert_eq!(renames.new_name("b.md").as_deref(), Some("guides/c.md"));
        assert_eq!(renames.new_name("c.md"), None);
        assert_eq!(renames.former_names("guides/c.md"), ["b.md", "a.md"]);
        assert!(renames.former_names("a.md").is_empty());
    }
}
