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

/// The source text with every secret string value replaced by `*` byte for byte, so byte
/// offsets and line structure stay valid for rendering.
pub fn mask_source(text: &str) -> String {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;

    let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut ranges = Vec::new();
    fn collect(v: &Value<'_>, secret: bool, ranges: &mut Vec<(usize, usize)>) {
        match v {
            Value::StringLit(s) if secret => {
                let r = s.range();
                // Keep the quotes: mask the contents only.
                ranges.push((r.start + 1, r.end.saturating_sub(1)));
            }
            Value::NumberLit(n) if secret => ranges.push((n.range.start, n.range.end)),
            Value::Object(o) => {
                for p in &o.properties {
                    collect(&p.value, secret || is_secret_key(p.name.as_str()), ranges);
                }
            }
            Value::Array(a) => {
                for e in &a.elements {
                    collect(e, secret, ranges);
                }
            }
            _ => {}
        }
    }
    match crate::document::parse_ast(&text[offset..]) {
        Some(root) => collect(&root, false, &mut ranges),
        // Not strict JSON: mask whatever follows a secret key on the same line, to be safe.
        None => return mask_lines(text),
    }
    let mut bytes = text.as_bytes().to_vec();
    for (s, e) in ranges {
        for b in &mut bytes[offset + s..offset + e] {
            *b = b'*';
        }
    }
    String::from_utf8(bytes).unwrap_or_default()
}

fn mask_lines(text: &str) -> String {
    text.lines()
        .map(|line| {
            let lower = line.to_ascii_lowercase();
            let secret = [
                "password",
                "secret",
                "community",
                "plain",
                "private_key",
                "passphrase",
            ]
            .iter()
            .any(|k| lower.contains(k));
            match (secret, line.find(':')) {
                (true, Some(i)) => format!("{}: ********", &line[..i]),
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
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
}
