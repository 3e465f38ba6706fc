//! Quote extraction: find every quoted span in an article.
//!
//! News text uses every kind of mark: curly “ ” and straight " (paired by
//! where they stand: an opening mark follows a space and precedes a word),
//! `''` as a double mark (the New York Times' archive), ``` `` ```, « », „ “,
//! and ‘ ’ for headlines written in the British style. Apostrophes are never
//! marks. Quotes do not cross paragraphs: a paragraph left open runs to its
//! end, which is the multi-paragraph convention (the next paragraph opens
//! with a mark of its own), and a new opening mark while one is open closes
//! the first (an outlet dropped the closing mark). Markup such as
//! `<tweet author="x">` is skipped.
//!
//! A paragraph that ends with a colon and is followed by a paragraph with no
//! marks yields a [`QuoteForm::Block`] candidate: a block quote if the
//! lead-in has a speech cue, which the attribution stage decides.
//!
//! Extraction does not judge whether a span is somebody's words; that needs
//! the attribution context and happens in [`crate::attribute`].

use crate::byteclass::{ByteClasses, count_words};
use crate::span::Span;

/// How a quotation is marked in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteForm {
    /// Between quotation marks.
    Marked,
    /// A paragraph introduced by a colon lead-in, with no marks.
    Block,
}

impl QuoteForm {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteForm::Marked => "marked",
            QuoteForm::Block => "block",
        }
    }
}

/// One quoted span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    /// The quoted words, without the marks and surrounding white space.
    pub span: Span,
    /// The span with its marks (equal to `span` for a block quote or where a
    /// closing mark is missing).
    pub outer: Span,
    pub form: QuoteForm,
    /// Index of the paragraph the quote stands in (see [`paragraphs`]).
    pub paragraph: usize,
    /// Whether a closing mark ended the quote (false: it ran to the end of
    /// its paragraph or to the next opening mark).
    pub closed: bool,
}

/// The paragraphs of `text`: its non-blank lines (any of `\n`, `\r\n`,
/// `\r`), trimmed of surrounding white space.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    paragraphs_into(text, &mut out);
    out
}

/// [`paragraphs`] in place of what `out` held.
pub fn paragraphs_into(text: &str, out: &mut Vec<Span>) {
    out.clear();
    // News paragraphs run to a few hundred bytes: sized so it seldom grows.
    out.reserve(text.len() / 128 + 4);
    let mut push = |s: usize, e: usize| {
        let line = &text[s..e];
        let lead = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            out.push(Span::new(s + lead, s + lead + trimmed.len()));
        }
    };
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()) {
        push(start, i);
        start = i + 1;
    }
    push(start, text.len());
}

/// Every quoted span in `text`, in order.
pub fn extract_quotes(text: &str) -> Vec<Quote> {
    let classes = ByteClasses::new(text.as_bytes());
    extract_quotes_in(text, &paragraphs(text), &classes)
}

/// [`extract_quotes`] with the text's [`paragraphs`] already split and
/// its bytes classified: the attribution stage needs both too.
pub fn extract_quotes_in(text: &str, paras: &[Span], classes: &ByteClasses) -> Vec<Quote> {
    let mut quotes = Vec::new();
    extract_quotes_into(text, paras, classes, &mut Room::default(), &mut quotes);
    quotes
}

/// The vectors extraction fills on its way to the quotes, kept for the
/// next article: [`extract_quotes_into`].
#[derive(Default)]
pub struct Room {
    /// Whether each paragraph has a quote.
    quoted: Vec<bool>,
    /// The marks of a paragraph.
    marks: Vec<Found>,
}

/// [`extract_quotes_in`] into `quotes` (whatever it held is replaced), in
/// the buffers of `room`, which an earlier article may have left (see
/// [`crate::analyze::Scratch`]).
pub fn extract_quotes_into(
    text: &str,
    paras: &[Span],
    classes: &ByteClasses,
    room: &mut Room,
    quotes: &mut Vec<Quote>,
) {
    let Room { quoted, marks } = room;
    quotes.clear();
    quotes.reserve(paras.len());
    quoted.clear();
    quoted.resize(paras.len(), false);
    for (index, &para) in paras.iter().enumerate() {
        let before = quotes.len();
        find_marks(text, para, classes, marks);
        extract_marked(text, para, index, marks, quotes);
        if quotes.len() == before {
            extract_single(text, para, index, quotes);
        }
        quoted[index] = quotes.len() > before;
    }
    for (index, pair) in paras.windows(2).enumerate() {
        let (lead, body) = (pair[0], pair[1]);
        if lead.slice(text).ends_with(':')
            && !quoted[index + 1]
            && count_words(body.slice(text), 5) >= 5
        {
            quotes.push(Quote {
                span: body,
                outer: body,
                form: QuoteForm::Block,
                paragraph: index + 1,
                closed: true,
            });
        }
    }
    quotes.sort_by_key(|q| q.span.start);
}

/// The kind of a double quotation mark, which decides what may close it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    /// “ (English opening), also the closing mark after „.
    CurlyOpen,
    /// ”
    CurlyClose,
    /// „ (German opening).
    Low,
    /// « and »: which is which depends on the language, so either direction.
    Guillemet,
    /// " and `''`: direction from the flanking characters.
    Straight,
    /// ``` `` ``` (always opening).
    Backticks,
}

/// A mark found in a paragraph: its byte span and whether it may open or
/// close a quote.
#[derive(Clone, Copy, Debug)]
struct Found {
    span: Span,
    mark: Mark,
    may_open: bool,
    may_close: bool,
}

/// The quotes of paragraph `para` between the `marks` found in it.
fn extract_marked(text: &str, para: Span, paragraph: usize, marks: &[Found], out: &mut Vec<Quote>) {
    let mut open: Option<Found> = None;
    for &m in marks {
        match open {
            None => {
                if m.may_open {
                    open = Some(m);
                }
            }
            Some(o) => {
                if closes(o.mark, m.mark) && m.may_close {
                    push_quote(text, o.span, m.span.start, Some(m.span.end), paragraph, out);
                    open = None;
                } else if m.may_open {
                    // A second opening mark while one is open: the outlet
                    // dropped the first quote's closing mark.
                    push_quote(text, o.span, m.span.start, None, paragraph, out);
                    open = Some(m);
                }
            }
        }
    }
    if let Some(o) = open {
        push_quote(text, o.span, para.end, None, paragraph, out);
    }
}

fn closes(open: Mark, close: Mark) -> bool {
    match open {
        Mark::CurlyOpen => matches!(close, Mark::CurlyClose | Mark::Straight),
        Mark::Low => matches!(close, Mark::CurlyOpen | Mark::CurlyClose),
        Mark::Guillemet => close == Mark::Guillemet,
        Mark::Straight | Mark::Backticks => {
            matches!(close, Mark::Straight | Mark::CurlyClose)
        }
        Mark::CurlyClose => matches!(close, Mark::CurlyClose | Mark::Straight),
    }
}

fn push_quote(
    text: &str,
    open: Span,
    end: usize,
    close_end: Option<usize>,
    paragraph: usize,
    out: &mut Vec<Quote>,
) {
    let inner = Span::new(open.end, end);
    let raw = inner.slice(text);
    let lead = raw.len() - raw.trim_start().len();
    let words = raw.trim();
    if !words.chars().any(char::is_alphanumeric) {
        return;
    }
    let span = Span::new(inner.start + lead, inner.start + lead + words.len());
    out.push(Quote {
        span,
        outer: Span::new(open.start, close_end.unwrap_or(span.end)),
        form: QuoteForm::Marked,
        paragraph,
        closed: close_end.is_some(),
    });
}

/// Where `c` first stands in `s`: a vectorised search for its last byte,
/// which for ‘ (E2 80 98) is rarer than its first.
fn find_char(s: &str, c: char) -> Option<usize> {
    let mut buf = [0; 4];
    let needle = c.encode_utf8(&mut buf).as_bytes();
    let (&last, lead) = needle.split_last()?;
    let bytes = s.as_bytes();
    memchr::memchr_iter(last, bytes)
        .filter_map(|k| k.checked_sub(lead.len()))
        .find(|&start| bytes[start..].starts_with(needle))
}

/// Characters after which a straight mark opens ("(" or a dash) and before
/// which it closes.
fn is_open_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | ';')
        }
    }
}

fn is_close_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '—'
                        | '–'
                        | '-'
                        | '…'
                        | '/'
                )
        }
    }
}

/// The marks of a paragraph, in `out` (cleared first), found among the
/// bytes that [`ByteClasses`] says may start one: a mark is rare, and
/// most text is ASCII with none of them.
fn find_marks(text: &str, para: Span, classes: &ByteClasses, out: &mut Vec<Found>) {
    let p = para.slice(text);
    out.clear();
    let mut i = 0;
    loop {
        let at = classes.next_mark(para.start + i);
        if at >= para.end {
            break;
        }
        i = at - para.start;
        let Some(c) = p[i..].chars().next() else {
            break;
        };
        // Skip markup such as <tweet author="@x" datetime="...">.
        if c == '<'
            && p[i + 1..].starts_with(|n: char| n.is_ascii_alphabetic() || n == '/')
            && let Some(close) = p[i..].find('>')
        {
            i += close + 1;
            continue;
        }
        let prev = p[..i].chars().next_back();
        let rest = &p[i + c.len_utf8()..];
        let mark = match c {
            '\u{201C}' => Mark::CurlyOpen,
            '\u{201D}' => Mark::CurlyClose,
            '\u{201E}' => Mark::Low,
            '\u{00AB}' | '\u{00BB}' => Mark::Guillemet,
            '"' => Mark::Straight,
            '`' if rest.starts_with('`') => Mark::Backticks,
            '\'' if rest.starts_with('\'') => {
                // `'''` after a word closes a nested single quote and then
                // the double one ("had me at 'independence,'''"): leave the
                // first apostrophe to the nested quote.
                if rest.starts_with("''") && prev.is_some_and(|x| !x.is_whitespace()) {
                    i += 1;
                    continue;
                }
                Mark::Straight
            }
            _ => {
                i += c.len_utf8();
                continue;
            }
        };
        // '' and `` are two characters wide.
        let width = if c == '\'' || c == '`' {
            2
        } else {
            c.len_utf8()
        };
        let start = para.start + i;
        let next = p[i + width..].chars().next();
        let may_open_flank = is_open_context(prev) && next.is_some_and(|n| !n.is_whitespace());
        let may_close_flank = is_close_context(next) && prev.is_some_and(|n| !n.is_whitespace());
        let (may_open, may_close) = match mark {
            Mark::CurlyOpen | Mark::Low | Mark::Backticks | Mark::Guillemet => (true, true),
            // A lone ” before a word after a space is used as an opening
            // mark by some outlets.
            Mark::CurlyClose => (may_open_flank && !may_close_flank, true),
            Mark::Straight if may_open_flank || may_close_flank => {
                (may_open_flank, may_close_flank)
            }
            // Between two words or two spaces: either.
            Mark::Straight => (true, true),
        };
        out.push(Found {
            span: Span::new(start, start + width),
            mark,
            may_open,
            may_close,
        });
        i += width;
    }
}

/// ‘Single-quoted’ spans in a paragraph with no double marks: the British
/// headline style. ’ is also the apostrophe, so a closing ’ must not be
/// followed by a letter ("Russia’s") and the opening ‘ must start a word.
/// Straight single marks ('like this') are taken only in a short line such
/// as a headline, where they open a word after a space and close one
/// before a space or punctuation: in running text they are far more often
/// apostrophes ("the Democrats' plan").
fn extract_single(text: &str, para: Span, paragraph: usize, out: &mut Vec<Quote>) {
    let before = out.len();
    pair_single(text, para, paragraph, '\u{2018}', '\u{2019}', out);
    let p = para.slice(text);
    // Most paragraphs have an apostrophe and are long: whether a mark
    // could open a quote at all is asked before their words are counted.
    if out.len() == before
        && memchr::memchr_iter(b'\'', p.as_bytes()).any(|at| opens_straight(p, at))
        && count_words(p, 26) < 26
    {
        pair_single(text, para, paragraph, '\'', '\'', out);
    }
}

/// Whether the straight single mark at byte `at` of `p` may open a quote
/// (what [`pair_single`] asks of it): at the start or after white space,
/// "(", ":" or a dash, and before a letter or digit.
fn opens_straight(p: &str, at: usize) -> bool {
    let before = p.get(..at).and_then(|s| s.chars().next_back());
    let next = p.get(at + 1..).and_then(|s| s.chars().next());
    before.is_none_or(|b| b.is_whitespace() || matches!(b, '(' | ':' | '—' | '–' | '-'))
        && next.is_some_and(char::is_alphanumeric)
}

fn pair_single(
    text: &str,
    para: Span,
    paragraph: usize,
    open_mark: char,
    close_mark: char,
    out: &mut Vec<Quote>,
) {
    let p = para.slice(text);
    let straight = open_mark == close_mark;
    let mut search = 0;
    while let Some(rel) = find_char(&p[search..], open_mark) {
        let open = search + rel;
        let before = p[..open].chars().next_back();
        search = open + open_mark.len_utf8();
        if before.is_some_and(char::is_alphanumeric) || (straight && !opens_straight(p, open)) {
            continue;
        }
        let mut close = None;
        for (j, c) in p[search..].char_indices() {
            if c != close_mark || j == 0 {
                continue;
            }
            let prev = p[search..search + j].chars().next_back();
            let after = p[search + j + c.len_utf8()..].chars().next();
            let closes = !after.is_some_and(char::is_alphanumeric)
                && (!straight || prev.is_some_and(|x| !x.is_whitespace()));
            if closes {
                close = Some(search + j);
                break;
            }
        }
        let Some(close) = close else { break };
        let open_span = Span::new(para.start + open, para.start + search);
        push_quote(
            text,
            open_span,
            para.start + close,
            Some(para.start + close + close_mark.len_utf8()),
            paragraph,
            out,
        );
        search = close + close_mark.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<&str> {
        extract_quotes(text)
            .iter()
            .map(|q| q.span.slice(text))
            .collect()
    }

    #[test]
    fn chars_are_found_as_str_find_finds_them() {
        for s in ["", "‘", "x‘y’z", "’‘", "it's ‘a’ and 'b'", "˘‘"] {
            for c in ['‘', '\'', '’'] {
                assert_eq!(find_char(s, c), s.find(c), "{s:?} {c:?}");
            }
        }
    }

    #[test]
    fn curly_and_straight_marks() {
        assert_eq!(quoted("He said “a b,” then \"c d.\""), ["a b,", "c d."]);
    }

    #[test]
    fn apostrophes_are_not_marks() {
        assert_eq!(quoted("Russia’s view of the companies’ deal: “ok”"), ["ok"]);
    }

    #[test]
    fn missing_closing_mark_before_new_opening() {
        let text = "he said: “I note hopes. “There is a mood.” Zakharova said.";
        assert_eq!(quoted(text), ["I note hopes.", "There is a mood."]);
    }

    #[test]
    fn open_paragraph_runs_to_its_end() {
        let text = "“First part.\n“Second part.”";
        assert_eq!(quoted(text), ["First part.", "Second part."]);
    }

    #[test]
    fn double_apostrophes_nyt_style() {
        let text =
            "''It's fine,'' he said. Nadella ''had me at 'independence,''' Mr. Weiner wrote.";
        assert_eq!(quoted(text), ["It's fine,", "had me at 'independence,'"]);
    }

    #[test]
    fn markup_attributes_are_skipped() {
        let text = "<tweet author=\"@x\" datetime=\"2016\">“Very good,” he wrote.";
        assert_eq!(quoted(text), ["Very good,"]);
    }

    #[test]
    fn block_quote_after_colon_lead_in() {
        let text =
            "TASS relates he told the FSB that:\n\nWe all see how rapidly the world is changing.\n";
        let quotes = extract_quotes(text);
        assert_eq!(quotes.len(), 1);
        assert_eq!(quotes[0].form, QuoteForm::Block);
        assert_eq!(
            quotes[0].span.slice(text),
            "We all see how rapidly the world is changing."
        );
    }

    #[test]
    fn guillemets_low_marks_and_backticks() {
        assert_eq!(
            quoted("«Bonjour» and „Hallo“ and ``hello''"),
            ["Bonjour", "Hallo", "hello"]
        );
    }

    #[test]
    fn straight_single_quotes_in_a_headline_but_not_in_running_text() {
        assert_eq!(
            quoted("Putin: West 'trying to provoke' Russia"),
            ["trying to provoke"]
        );
        let running = "The senators' plan, which the campaign's aides called \
            a 'serious effort' in private, was rejected by members of both parties \
            after a long debate that lasted well into the night on Tuesday.";
        assert!(quoted(running).is_empty());
    }

    #[test]
    fn british_single_quotes_in_headlines() {
        assert_eq!(
            quoted("Putin says contacts ‘inspire hopes’ in Russia’s view"),
            ["inspire hopes"]
        );
    }
}
