//! Which values are secrets. They never appear in any output: messages describe them without
//! their text, and renderers mask them in source snippets.

use crate::diagnostic::pointer_tokens;

/// Keys whose values are secrets, or may be when a user pastes the secret where a reference
/// key belongs (`"password": "hunter2"`). Reference keys are not secret, but masking one costs
/// nothing, while printing a pasted password into a CI log cannot be undone.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "plain"
        || k == "community"
        || k.contains("password")
        || k.contains("secret")
        || k.contains("private_key")
        || k.contains("passphrase")
}

/// Whether the value at a pointer lies under a secret key (`/smtp_auth/password/plain`,
/// `/users/0/passwords/1`).
pub fn is_secret_pointer(pointer: &str) -> bool {
    pointer_tokens(pointer).any(|t| is_secret_key(&t))
}

/// The source text with every secret value replaced by `*` byte for byte, so byte offsets and
/// line structure stay valid for rendering. Keys stay readable.
///
/// This is a tolerant scan, not a parse: it must mask files that are not JSON at all (a missing
/// comma, an unterminated string, a comment, a NUL byte), since those are the files whose
/// snippets get shown. After a key that names a secret (or nearly does: a misspelled
/// `"pasword"` is reported as an unknown key, with its value in the snippet), the value is
/// masked, whatever lies between; inside a secret object or array, every value is.
pub fn mask_source(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    // Per open container: whether it is a secret value.
    let mut stack: Vec<bool> = Vec::new();
    // The next value belongs to a secret key.
    let mut pending = false;
    let mut i = 0;
    while i < b.len() {
        let inside = stack.last().copied().unwrap_or(false);
        match b[i] {
            q @ (b'"' | b'\'') => {
                let end = string_end(b, i, q);
                if is_key(b, end) {
                    let raw = &text[i..end];
                    let name = serde_json::from_str::<String>(raw)
                        .unwrap_or_else(|_| raw.trim_matches(['"', '\'']).to_string());
                    pending = inside || looks_secret_key(&name);
                } else {
                    if pending || inside {
                        let close = usize::from(end > i + 1 && b[end - 1] == q);
                        mask(i + 1, end - close, &mut out);
                    }
                    pending = false;
                }
                i = end;
            }
            b'{' | b'[' => {
                stack.push(pending || inside);
                pending = false;
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                pending = false;
                i += 1;
            }
            b',' => {
                pending = false;
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            }
            c if c.is_ascii_whitespace() || c == b':' => i += 1,
            _ => {
                // A bare word: a number, true/false/null, or garbage.
                let start = i;
                while i < b.len() && !b"\",:{}[]/ \t\r\n".contains(&b[i]) {
                    i += 1;
                }
                i = i.max(start + 1);
                while !text.is_char_boundary(i) {
                    i += 1;
                }
                let word = &text[start..i];
                if is_key(b, i) {
                    // A loose, unquoted key.
                    pending = inside || looks_secret_key(word);
                } else {
                    if (pending || inside) && !matches!(word, "true" | "false" | "null") {
                        mask(start, i, &mut out);
                    }
                    pending = false;
                }
            }
        }
    }
    // Only ASCII bytes were written, over whole characters: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

fn mask(from: usize, to: usize, out: &mut [u8]) {
    for c in &mut out[from..to] {
        if *c != b'\n' && *c != b'\r' {
            *c = b'*';
        }
    }
}

/// Whether the token ending at `end` is a key: a colon follows.
fn is_key(b: &[u8], end: usize) -> bool {
    b[end.min(b.len())..]
        .iter()
        .find(|c| !c.is_ascii_whitespace())
        .is_some_and(|&c| c == b':')
}

/// Where the string literal starting at `b[start]` (the quote `q`) ends: after its closing
/// quote, or at the end of its line when it is not closed (JSON strings cannot span lines).
fn string_end(b: &[u8], start: usize, q: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if b.get(i + 1) != Some(&b'\n') => i += 2,
            c if c == q => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

/// Words that make a key secret when a key contains one, spelled right or nearly.
const SECRET_WORDS: &[&str] = &[
    "plain",
    "community",
    "password",
    "passwords",
    "passwd",
    "secret",
    "passphrase",
    "private",
];

/// `is_secret_key`, or a key with a word one typo away from a secret word (`comunity`,
/// `plian`, `auth_pasword`): for masking only, where masking too much costs nothing.
pub fn looks_secret_key(key: &str) -> bool {
    is_secret_key(key)
        || key
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() >= 4)
            .any(|w| {
                let w = w.to_ascii_lowercase();
                SECRET_WORDS
                    .iter()
                    .any(|s| strsim::osa_distance(&w, s) <= 1)
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_and_pointers() {
        for k in [
            "password",
            "auth_password",
            "passwords",
            "shared_secret",
            "community",
            "plain",
            "private_key",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in ["username", "key", "enabled", "engine_id"] {
            assert!(!is_secret_key(k), "{k}");
        }
        assert!(is_secret_pointer("/version/value/auth_password/plain"));
        assert!(is_secret_pointer("/users/0/passwords/1"));
        assert!(!is_secret_pointer("/users/0/username"));
    }

    #[test]
    fn masking_keeps_offsets_and_hides_every_secret_value() {
        let cases = [
            // Strict JSON: values under secret keys, in secret arrays and objects.
            (
                r#"{"community": "pub", "n": "keep", "pw": {"plain": "x1"}, "passwords": ["x2", {"k": 3}], "password": true}"#,
                r#"{"community": "***", "n": "keep", "pw": {"plain": "**"}, "passwords": ["**", {"k": *}], "password": true}"#,
            ),
            // Misspelled secret keys (reported as unknown keys, so shown in a snippet).
            (
                r#"{"comunity": "s1", "plian": "s2", "auth_pasword": "s3", "name": "keep"}"#,
                r#"{"comunity": "**", "plian": "**", "auth_pasword": "**", "name": "keep"}"#,
            ),
            // Not JSON: the value on the next line, a missing comma, an unterminated string.
            (
                "{\"community\":\n  \"s1\"\n \"x\": \"keep\", \"plain\": \"s2\n}",
                "{\"community\":\n  \"**\"\n \"x\": \"keep\", \"plain\": \"**\n}",
            ),
            // Comments, single quotes, loose keys, bare words, escapes, non-ASCII.
            (
                "{/* c */ 'secret': 'a b', plain: s3cr3t, \"pass\\u0077ord\": \"é\\\"x\", \"k\": 'keep'}",
                "{/* c */ 'secret': '***', plain: ******, \"pass\\u0077ord\": \"*****\", \"k\": 'keep'}",
            ),
        ];
        for (text, want) in cases {
            let masked = mask_source(text);
            assert_eq!(masked.len(), text.len());
            assert_eq!(masked, want);
        }
        // Whatever the bytes: same length, same lines, no panic.
        for text in [
            "\"",
            "'",
            "{\"plain\"",
            "{\"plain\":",
            "\\",
            "{\"a\": \"\\",
            "/",
            "/*",
            "]]}}",
            "\u{0}",
        ] {
            assert_eq!(mask_source(text).len(), text.len(), "{text:?}");
        }
    }
}
