//! The browser's reader of our Fluent files. They use one corner of Fluent: one-line messages
//! (`key = text`) whose only placeables are variables (`{ $name }`), and `#` comments. This
//! reader knows that corner and refuses anything else, so fluent-bundle and fluent-syntax (a
//! parser, a resolver, number formatting and plural rules) stay out of the wasm (issue 14). The
//! server renders with fluent-bundle itself; `tests::the_reader_formats_every_message_as_fluent_does`
//! checks that both give the same text for every message of every language, so hydration sees
//! exactly what the server wrote.

/// A language's messages, sorted by key.
pub struct Messages(Vec<(String, String)>);

impl Messages {
    /// Reads a Fluent file of the corner above; an error names the first line outside it.
    pub fn parse(source: &str) -> Result<Self, String> {
        let mut messages = Vec::new();
        for (n, line) in source.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let refused = || format!("line {}: not a one-line message: {line}", n + 1);
            let (key, text) = line.split_once('=').ok_or_else(refused)?;
            let key = key.trim_end_matches(' ');
            let text = text.trim_matches(' ');
            let mut chars = key.chars();
            let identifier = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !identifier || text.is_empty() || pieces(text).any(|p| p.is_err()) {
                return Err(refused());
            }
            messages.push((key.to_owned(), text.to_owned()));
        }
        messages.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(pair) = messages.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(format!("{} is defined twice", pair[0].0));
        }
        Ok(Self(messages))
    }

    /// `key`'s text with each `{ $name }` replaced by its argument (`{$name}` when missing, as
    /// fluent-bundle writes it); `None` for an unknown key.
    pub fn format(&self, key: &str, args: &[(&str, impl AsRef<str>)]) -> Option<String> {
        let at = self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        let mut out = String::new();
        for piece in pieces(&self.0[at].1) {
            match piece {
                Ok(Piece::Text(text)) => out.push_str(text),
                Ok(Piece::Var(name)) => match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value.as_ref()),
                    None => {
                        out.push_str("{$");
                        out.push_str(name);
                        out.push('}');
                    }
                },
                Err(()) => {}
            }
        }
        Some(out)
    }
}

enum Piece<'a> {
    Text(&'a str),
    Var(&'a str),
}

/// A message's text and variables, in order; `Err` for a brace that is not `{ $name }`.
fn pieces(mut text: &str) -> impl Iterator<Item = Result<Piece<'_>, ()>> {
    std::iter::from_fn(move || {
        if text.is_empty() {
            return None;
        }
        let Some(open) = text.find(['{', '}']) else {
            return Some(Ok(Piece::Text(std::mem::take(&mut text))));
        };
        if open > 0 {
            let (before, rest) = text.split_at(open);
            text = rest;
            return Some(Ok(Piece::Text(before)));
        }
        let close = text.find('}').filter(|_| text.starts_with('{'));
        let Some(close) = close else {
            text = "";
            return Some(Err(()));
        };
        let inner = text[1..close].trim_matches(' ');
        text = &text[close + 1..];
        let name = inner.strip_prefix('$').filter(|name| {
            let mut chars = name.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
        Some(name.map(Piece::Var).ok_or(()))
    })
}

#[cfg(test)]
mod tests {
    use super::Messages;
    use crate::i18n::{Lang, SOURCES, bundle_of};

    #[test]
    fn the_reader_formats_every_message_as_fluent_does() {
        for lang in Lang::ALL {
            let source = SOURCES[lang.index()];
            let ours = Messages::parse(source).unwrap_or_else(|e| panic!("{}: {e}", lang.code()));
            let fluent = bundle_of(lang, source.to_owned()).unwrap();
            let resource = fluent_syntax::parser::parse(source).unwrap();
            // Every variable the file names, with a value that shows where it went: the same
            // arguments for every message.
            let names: Vec<String> =
                source.split("{ $").skip(1).filter_map(|s| s.split(' ').next()).map(str::to_owned).collect();
            let values: Vec<String> = names.iter().map(|n| format!("«{n} ٣ é»")).collect();
            let args: Vec<(&str, &str)> =
                names.iter().map(String::as_str).zip(values.iter().map(String::as_str)).collect();
            let mut fluent_args = fluent_bundle::FluentArgs::new();
            for (name, value) in &args {
                fluent_args.set(*name, *value);
            }
            let mut keys = 0;
            for entry in &resource.body {
                let fluent_syntax::ast::Entry::Message(message) = entry else { continue };
                let key = message.id.name;
                let pattern = fluent.get_message(key).and_then(|m| m.value()).unwrap();
                let expected = fluent.format_pattern(pattern, Some(&fluent_args), &mut vec![]);
                assert_eq!(ours.format(key, &args).as_deref(), Some(expected.as_ref()), "{} {key}", lang.code());
                // Without arguments too: both write the missing variable's name.
                let bare = fluent.format_pattern(pattern, None, &mut vec![]);
                assert_eq!(
                    ours.format(key, &[] as &[(&str, &str)]).as_deref(),
                    Some(bare.as_ref()),
                    "{} {key} bare",
                    lang.code()
                );
                keys += 1;
            }
            assert_eq!(keys, ours.0.len(), "{}: the same messages", lang.code());
            assert!(keys > 300, "{}", lang.code());
        }
    }

    #[test]
    fn anything_outside_the_corner_is_refused_not_misread() {
        for source in [
            "a = one\n  continued",
            "a = { -term }",
            "a = { NUMBER($n) }",
            "a = { $n ->\n *[other] x\n}",
            "a = { \"{\" }",
            "a = open { $n",
            "a = close }",
            "-term = x",
            "a.attr = x",
            "= x",
            "a =",
            "a = x\na = y",
        ] {
            assert!(Messages::parse(source).is_err(), "{source:?}");
        }
        let ok = Messages::parse("# c\n\nb-1 = B { $x }!\r\na_2 =   spaced  \n").unwrap();
        assert_eq!(ok.format("b-1", &[("x", "1")]).as_deref(), Some("B 1!"));
        assert_eq!(ok.format("a_2", &[("x", "1")]).as_deref(), Some("spaced"));
        assert_eq!(ok.format("c", &[("x", "1")]), None);
    }
}
