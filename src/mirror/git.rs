//! The commit a site was built from, for `manifest.json`. Read from the
//! repository's files (HEAD, loose refs, packed-refs, worktrees); only when
//! that fails (a ref format we do not read) ask `git rev-parse HEAD`.

use std::path::{Path, PathBuf};

/// The HEAD commit of the git repository holding `root`, if there is one.
pub fn source_commit(root: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let git_dir = find_git_dir(&root)?;
    read_head(&git_dir).or_else(|| rev_parse(&root))
}

/// `.git` of `root` or its nearest ancestor: a folder, or a file saying
/// `gitdir: …` (worktrees and submodules).
fn find_git_dir(root: &Path) -> Option<PathBuf> {
    for dir in root.ancestors() {
        let dot_git = dir.join(".git");
        if dot_git.is_dir() {
            return Some(dot_git);
        }
        if dot_git.is_file() {
            let text = std::fs::read_to_string(&dot_git).ok()?;
            let target = text.trim().strip_prefix("gitdir:")?.trim();
            return Some(dir.join(target));
        }
    }
    None
}

fn read_head(git_dir: &Path) -> Option<String> {
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(name) = head.strip_prefix("ref:") else {
        return is_object_id(head).then(|| head.to_string());
    };
    let name = name.trim();
    // A worktree's own git dir names the shared one in `commondir`.
    let common = std::fs::read_to_string(git_dir.join("commondir"))
        .map(|c| git_dir.join(c.trim()))
        .unwrap_or_else(|_| git_dir.to_path_buf());
    [git_dir, common.as_path()].iter().find_map(|dir| loose_ref(dir, name)).or_else(|| packed_ref(&common, name))
}

fn loose_ref(dir: &Path, name: &str) -> Option<String> {
    let id = std::fs::read_to_string(dir.join(name)).ok()?;
    let id = id.trim();
    is_object_id(id).then(|| id.to_string())
}

fn packed_ref(dir: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("packed-refs")).ok()?;
    text.lines()
        .filter_map(|line| line.split_once(' '))
        .find(|(_, r)| *r == name)
        .map(|(id, _)| id.to_string())
        .filter(|id| is_object_id(id))
}

fn rev_parse(root: &Path) -> Option<String> {
    let output = std::process::Command::new("git").arg("-C").arg(root).args(["rev-parse", "HEAD"]).output().ok()?;
    let id = String::from_utf8(output.stdout).ok()?;
    let id = id.trim();
    (output.status.success() && is_object_id(id)).then(|| id.to_string())
}

/// A SHA-1 or SHA-256 object id in hex.
fn is_object_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef01234567";

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn loose_and_packed_refs_and_detached_heads_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join("repo/.git");
        write(&git.join("HEAD"), "ref: refs/heads/main\n");
        write(&git.join("packed-refs"), &format!("# pack-refs\n{ID} refs/heads/main\n"));
        let site = dir.path().join("repo/site");
        std::fs::create_dir_all(&site).unwrap();
        assert_eq!(source_commit(&site).as_deref(), Some(ID));
        let other = ID.replace('0', "f");
        write(&git.join("refs/heads/main"), &format!("{other}\n"));
        assert_eq!(source_commit(&site).as_deref(), Some(other.as_str()));
        write(&git.join("HEAD"), &format!("{ID}\n"));
        assert_eq!(source_commit(&site).as_deref(), Some(ID));
    }

    #[test]
    fn worktrees_find_refs_in_the_common_dir() {
        let dir = tempfile::tempdir().unwrap();
        let common = dir.path().join("main/.git");
        write(&common.join("refs/heads/feature"), &format!("{ID}\n"));
        let wt_git = common.join("worktrees/wt");
        write(&wt_git.join("HEAD"), "ref: refs/heads/feature\n");
        write(&wt_git.join("commondir"), "../..\n");
        let wt = dir.path().join("wt");
        write(&wt.join(".git"), &format!("gitdir: {}\n", wt_git.display()));
        assert_eq!(source_commit(&wt).as_deref(), Some(ID));
    }
}
