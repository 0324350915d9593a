//! An email shown inside a staff page as the mover will see it: the HTML
//! part's body (the same bytes the outbox stores), with the email's inline
//! styles left out, because the pages' Content-Security-Policy allows no
//! inline style; `static/css/app.css` gives the preview the email's look
//! (`.email-preview-html`). Everything in the email that came from people
//! was escaped when the email was rendered, so the fragment is safe to
//! place in the page as it is.

/// The part between `<body …>` and `</body>`, without `style="…"`
/// attributes. An email without a body element is shown whole.
pub fn fragment(html: &str) -> String {
    let start = html.find("<body").and_then(|i| html[i..].find('>').map(|j| i + j + 1)).unwrap_or(0);
    let end = html.rfind("</body>").filter(|e| *e >= start).unwrap_or(html.len());
    strip_styles(&html[start..end])
}

/// Removes ` style="…"` from tags. A `"` inside an attribute value is
/// always escaped in rendered emails, so the value ends at the next `"`.
fn strip_styles(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(" style=\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " style=\"".len()..];
        match after.find('"') {
            Some(j) => rest = &after[j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fragment;

    #[test]
    fn keeps_the_body_and_drops_inline_styles() {
        let html = "<!DOCTYPE html><html lang=\"en\"><head><title>T</title></head>\
                    <body style=\"margin:0\"><div style=\"max-width:600px\"><p style=\"font-weight:bold\">Vordingborg Municipality</p>\
                    <p>Dear &lt;b&gt;Anna&lt;&#x2F;b&gt;,</p></div></body></html>";
        let f = fragment(html);
        assert_eq!(f, "<div><p>Vordingborg Municipality</p><p>Dear &lt;b&gt;Anna&lt;&#x2F;b&gt;,</p></div>");
        assert!(!f.contains("style="));
    }

    #[test]
    fn typed_text_that_looks_like_a_style_stays() {
        // Typed quotes are escaped in a rendered email (&quot;), so only
        // the template's own markup has ` style="`.
        assert_eq!(fragment("<body><p>a style=&quot;x&quot;</p></body>"), "<p>a style=&quot;x&quot;</p>");
        assert_eq!(fragment("<p>no body element</p>"), "<p>no body element</p>");
    }
}
