//! The autotuner's disk cache: where it lives and its file format.
//!
//! One text file per (kernel source, candidates, key names), named
//! `<kernel>-<16 hex digits of an FNV-1a hash of those>.txt`, holding
//!
//! ```text
//! # persim autotune cache v1: kernel `matmul` (persim-kernels/src/matmul.rs)
//! # configs [BLOCK_M=32 BLOCK_N=32; BLOCK_M=64 BLOCK_N=64] key [m n k]
//! m=512 n=512 k=512 @cranelift<TAB>BLOCK_M=64 BLOCK_N=64
//! ```
//!
//! Lines are `key<TAB>choice`; the hash makes a file stale as soon as the
//! kernel or the candidates change (a new file is started, the old one is
//! never read again). Writes go to a temporary file renamed over the old
//! one, so a reader never sees half a file.

use persim_lang::front::KernelSource;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// The default cache directory: `$PERSIM_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/persim`, else `$HOME/.cache/persim`; `None` if none of
/// them is set (no disk cache then).
pub fn default_cache_dir() -> Option<PathBuf> {
    cache_dir_from(|name| std::env::var_os(name))
}

/// [`default_cache_dir`] with the environment given as a function.
pub fn cache_dir_from(env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set("PERSIM_CACHE_DIR") {
        return Some(dir);
    }
    // The XDG spec says relative paths are invalid and must be ignored.
    if let Some(dir) = set("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Some(dir.join("persim"));
    }
    set("HOME").map(|home| home.join(".cache").join("persim"))
}

/// One kernel's cache file.
#[derive(Debug)]
pub struct DiskCache {
    path: PathBuf,
    header: String,
}

impl DiskCache {
    /// The file under `dir/autotune/` for `kernel` tuned over `identity`
    /// (the candidates and key names, as text).
    pub fn new(dir: &Path, kernel: &KernelSource, identity: &str) -> DiskCache {
        let mut hash = Fnv1a::new();
        for part in [kernel.name, kernel.text, identity] {
            hash.write(part.as_bytes());
            hash.write(&[0]);
        }
        let file = format!("{}-{:016x}.txt", kernel.name, hash.finish());
        DiskCache {
            path: dir.join("autotune").join(file),
            header: format!(
                "# persim autotune cache v1: kernel `{}` ({})\n# {identity}\n",
                kernel.name, kernel.file
            ),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The choice stored for `key`, if any (an unreadable file counts as
    /// empty: the cache is only ever an optimization).
    pub fn lookup(&self, key: &str) -> Option<String> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let found = entries(&text).find(|(k, _)| *k == key);
        found.map(|(_, v)| v.to_string())
    }

    /// Record `choice` for `key`, replacing an earlier one.
    pub fn store(&self, key: &str, choice: &str) -> io::Result<()> {
        let old = std::fs::read_to_string(&self.path).unwrap_or_default();
        let mut text = self.header.clone();
        for (k, v) in entries(&old).filter(|(k, _)| *k != key) {
            text.push_str(&format!("{k}\t{v}\n"));
        }
        text.push_str(&format!("{key}\t{choice}\n"));
        let dir = self.path.parent().expect("the file is under autotune/");
        std::fs::create_dir_all(dir)?;
        let tmp = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &self.path)
    }
}

/// The `key<TAB>choice` lines of a cache file.
fn entries(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
}

/// 64-bit FNV-1a: stable across Rust versions and platforms, unlike
/// `std`'s `DefaultHasher`, which file names need.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn cache_dir_prefers_persim_then_xdg_then_home() {
        let all = [
            ("PERSIM_CACHE_DIR", "/p"),
            ("XDG_CACHE_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(cache_dir_from(env(&all)), Some(PathBuf::from("/p")));
        assert_eq!(
            cache_dir_from(env(&all[1..])),
            Some(PathBuf::from("/x/persim"))
        );
        assert_eq!(
            cache_dir_from(env(&all[2..])),
            Some(PathBuf::from("/h/.cache/persim"))
        );
        assert_eq!(cache_dir_from(env(&[])), None);
    }

    #[test]
    fn empty_and_relative_values_are_ignored() {
        let vars = [
            ("PERSIM_CACHE_DIR", ""),
            ("XDG_CACHE_HOME", "relative"),
            ("HOME", "/h"),
        ];
        assert_eq!(
            cache_dir_from(env(&vars)),
            Some(PathBuf::from("/h/.cache/persim"))
        );
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        let hash = |s: &str| {
            let mut h = Fnv1a::new();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn entries_skip_comments_and_malformed_lines() {
        let text = "# header\na=1 @t\tX=1\nno tab here\nb=2 @t\tX=2 Y=3\n";
        let all: Vec<_> = entries(text).collect();
        assert_eq!(all, [("a=1 @t", "X=1"), ("b=2 @t", "X=2 Y=3")]);
    }
}
