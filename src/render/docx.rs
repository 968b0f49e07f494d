//! Markdown → DOCX, so that Word documents come from the same templates as Markdown and HTML.
//! The rendered Markdown is read with pulldown-cmark and written with docx-rs:
//!
//! - `#` (the document's title) → the style «Title»; `##`, `###`, `####` → «Heading 1–3»
//!   (Word's navigation pane and table of contents see them);
//! - a paragraph that starts with a clause number (`5.1.3. …`) → the style «Clause» (justified,
//!   the number kept as text so that references like «п. 5.1.3» never drift);
//! - bullet and numbered lists → Word lists (each numbered list restarts at its own start);
//! - tables → Word tables with borders, a shaded bold header row and the column alignment
//!   of the Markdown;
//! - bold, italic, inline code, hard line breaks;
//! - the HTML markers the templates already use for print: `<div class="page-break"></div>`
//!   starts a new page, `<div class="approve">` moves the approval block to the right half,
//!   `<div class="org">` and `<div class="title">` centre, `<div class="title cover">` centres
//!   the title a third of the way down the page and `<div class="title-foot">` sets the year at
//!   the foot of the title page (a frame anchored to the bottom margin).
//!
//! - an image whose file is among [`Meta::images`] (the pipeline diagrams) → a picture:
//!   the SVG rasterised with resvg at print resolution ([`PRINT_DPI`]) with the system's
//!   fonts, as wide as the text at most; any other image is kept as its text and file name;
//! - a table of contents after the title page ([`Meta::toc`]), header rows repeated on every
//!   page, signature rows tall enough to sign, and the title and author in the document's
//!   properties.
//!
//! Reads only Markdown and the pictures it is given; knows nothing of the model.

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, Footer, IndentLevel, Level, LevelJc, LevelOverride,
    LevelText, LineSpacing, NumberFormat, Numbering, NumberingId, PageMargin, PageNum, Paragraph, Run,
    RunFonts, Shading, SpecialIndentType, Start, Style, StyleType, Table, TableCell, TableRow, WidthType,
};
use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

const FONT: &str = "Times New Roman";
const MONO: &str = "Courier New";
/// A4 in twentieths of a point, and the margins of Russian office documents (ГОСТ Р 7.0.97:
/// left 30 mm, right 15 mm, top and bottom 20 mm).
const A4: (u32, u32) = (11_906, 16_838);
const TEXT_WIDTH: usize = 11_906 - 1_701 - 850;
/// The approval block starts past the middle of the text, as `.approve` does in the HTML.
const APPROVE_INDENT: i32 = 5_400;
/// The title page: the approval block a line and a half below the organisation's name, the
/// title about 5 cm below the approval block (a third of the way down the page).
const APPROVE_GAP: u32 = 480;
const COVER_DROP: u32 = 2_800;
/// Numbering ids of our lists. docx-rs always writes a default decimal list as abstract and
/// concrete numbering 1; reusing id 1 for the bullets made Word and LibreOffice show every
/// bullet list as «1. (1) ①».
const BULLETS: usize = 10;
const DECIMAL: usize = 11;

/// Pictures are rasterised at this resolution: sharp on paper, a few hundred kilobytes each.
pub const PRINT_DPI: f32 = 200.0;
/// Twentieths of a point → English metric units (the unit of a picture's size).
const EMU_PER_TWIP: u32 = 635;
/// The height of a row to sign in (1 cm), in twentieths of a point.
const SIGNATURE_ROW: f32 = 567.0;

/// What a Word file carries besides the Markdown.
#[derive(Debug, Clone, Default)]
pub struct Meta<'a> {
    /// The document's title (its properties).
    pub title: &'a str,
    /// The document's author (its properties).
    pub author: Option<&'a str>,
    /// Pictures the Markdown may show: (file name as linked, SVG text).
    pub images: &'a [(String, String)],
    /// A table of contents after the title page.
    pub toc: bool,
}

/// The DOCX file (zip bytes) of the Markdown document `md`; the same Markdown gives the same
/// bytes.
pub fn from_markdown(md: &str) -> Vec<u8> {
    document(md, &Meta::default())
}

/// The DOCX file of `md` with the pictures, contents and properties of `meta`.
pub fn document(md: &str, meta: &Meta<'_>) -> Vec<u8> {
    let mut w = Writer::new();
    w.images = meta.images.to_vec();
    w.toc = meta.toc;
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    for event in Parser::new_ext(md, options) {
        w.event(event);
    }
    w.flush();
    if w.toc
        && let Some(at) = w.toc_at
    {
        let items = std::mem::take(&mut w.headings);
        w.blocks.insert(at, Block::Contents(items));
    }
    let mut docx = styles(Docx::new())
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin {
            top: 1_134,
            left: 1_701,
            bottom: 1_134,
            right: 850,
            header: 709,
            footer: 709,
            gutter: 0,
        })
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new()),
            ),
        )
        .add_abstract_numbering(bullets())
        .add_abstract_numbering(decimal())
        .add_numbering(Numbering::new(BULLETS, BULLETS));
    for (id, start) in &w.numberings {
        docx = docx
            .add_numbering(Numbering::new(*id, DECIMAL).add_override(LevelOverride::new(0).start(*start)));
    }
    for block in w.blocks {
        docx = match block {
            Block::Paragraph(p) => docx.add_paragraph(*p),
            Block::Table(t) => docx.add_table(*t),
            Block::Contents(items) => docx.add_table_of_contents(contents(&items)),
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    // Writing a zip into memory fails only on an allocation failure.
    docx.build().pack(&mut out).expect("a zip in memory");
    deflate(&out.into_inner(), meta)
}

/// The table of contents: a Word field over the headings of levels 1–2, filled with the
/// headings so that it reads right before Word updates the page numbers (it is marked to be
/// updated when the file opens).
fn contents(items: &[(usize, String)]) -> docx_rs::TableOfContents {
    let russian = items
        .iter()
        .any(|(_, t)| t.chars().any(|c| ('а'..='я').contains(&c)));
    let title = if russian {
        "Содержание"
    } else {
        "Contents"
    };
    let mut toc = docx_rs::TableOfContents::new()
        .heading_styles_range(1, 2)
        .alias(title)
        .dirty()
        .add_before_paragraph(
            Paragraph::new()
                .style("Normal")
                .align(AlignmentType::Center)
                .page_break_before(true)
                .add_run(Run::new().add_text(title).bold()),
        );
    for (i, (level, text)) in items.iter().enumerate() {
        toc = toc.add_item(
            docx_rs::TableOfContentsItem::new()
                .text(text)
                .level(*level)
                .toc_key(format!("_Toc{}", i + 1))
                .page_ref(""),
        );
    }
    toc
}

/// The system's fonts, loaded once: the diagrams' labels are drawn with them.
fn fonts() -> std::sync::Arc<resvg::usvg::fontdb::Database> {
    static FONTS: std::sync::OnceLock<std::sync::Arc<resvg::usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = resvg::usvg::fontdb::Database::new();
            db.load_system_fonts();
            for family in ["DejaVu Sans", "Liberation Sans", "Arial", "Noto Sans"] {
                if db.faces().any(|f| f.families.iter().any(|(n, _)| n == family)) {
                    db.set_sans_serif_family(family);
                    break;
                }
            }
            std::sync::Arc::new(db)
        })
        .clone()
}

/// An SVG as a PNG at [`PRINT_DPI`], with its size in twentieths of a point; `None` when the
/// SVG does not parse.
pub fn rasterise(svg: &str) -> Option<(Vec<u8>, u32, u32)> {
    use resvg::{tiny_skia, usvg};
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).ok()?;
    let size = tree.size();
    let scale = PRINT_DPI / 96.0;
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().ok()?;
    // CSS pixels are 1/96 inch; a twip is 1/1440.
    Some((png, (size.width() * 15.0) as u32, (size.height() * 15.0) as u32))
}

/// docx-rs stores the parts uncompressed (a regulation is ~0.5 MB); Word compresses them. The
/// same parts, in the same order, deflated — about five times smaller. Directory entries are
/// dropped: an Office package has none.
fn deflate(stored: &[u8], meta: &Meta<'_>) -> Vec<u8> {
    use std::io::{Read, Write};
    use zip::write::SimpleFileOptions;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(stored)).expect("docx-rs wrote a zip");
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry of the zip");
        if entry.is_dir() {
            continue;
        }
        buf.clear();
        entry.read_to_end(&mut buf).expect("a stored entry reads");
        match entry.name() {
            "docProps/core.xml" => buf = core_properties(&buf, meta).into_bytes(),
            "word/document.xml" => buf = header_rows(&buf).into_bytes(),
            _ => {}
        }
        writer.start_file(entry.name(), options).expect("a zip in memory");
        writer.write_all(&buf).expect("a zip in memory");
    }
    writer.finish().expect("a zip in memory").into_inner()
}

/// docx-rs writes «unknown» as the author and no title: the document's own.
fn core_properties(xml: &[u8], meta: &Meta<'_>) -> String {
    let xml = String::from_utf8_lossy(xml).into_owned();
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let author = esc(meta.author.unwrap_or("voronka"));
    let title = if meta.title.is_empty() {
        String::new()
    } else {
        format!("<dc:title>{}</dc:title>", esc(meta.title))
    };
    xml.replace(
        "<dc:creator>unknown</dc:creator>",
        &format!("{title}<dc:creator>{author}</dc:creator>"),
    )
    .replace(
        "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
        &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
    )
}

/// The first row of every table repeats at the top of each page it runs onto (docx-rs has no
/// switch for `w:tblHeader`, so it is added to the row's properties here).
fn header_rows(xml: &[u8]) -> String {
    let xml = String::from_utf8_lossy(xml);
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut rest: &str = &xml;
    while let Some(i) = rest.find("<w:tbl>") {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        // The first row's properties.
        match tail.find("<w:trPr>") {
            Some(j) if tail[..j].matches("<w:tr>").count() == 1 => {
                out.push_str(&tail[..j + "<w:trPr>".len()]);
                out.push_str("<w:tblHeader />");
                rest = &tail[j + "<w:trPr>".len()..];
            }
            _ => {
                out.push_str("<w:tbl>");
                rest = &tail["<w:tbl>".len()..];
            }
        }
    }
    out.push_str(rest);
    // docx-rs puts the contents' page numbers at a tab far past the margin, wraps the
    // contents in a bare content control, and writes a field's parts in one run; LibreOffice
    // then prints the field codes as text. Word's own shape: a table-of-contents control and
    // a run per part.
    let mut out = out.replace("w:pos=\"80000\"", &format!("w:pos=\"{TEXT_WIDTH}\""));
    for (from, to) in [
        (
            "<w:sdt><w:sdtPr />",
            "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\" /><w:docPartUnique /></w:docPartObj></w:sdtPr>",
        ),
        ("\" /><w:instrText>", "\" /></w:r><w:r><w:instrText>"),
        ("</w:instrText><w:fldChar", "</w:instrText></w:r><w:r><w:fldChar"),
        (
            "\"separate\" w:dirty=\"false\" /><w:t",
            "\"separate\" w:dirty=\"false\" /></w:r><w:r><w:t",
        ),
        ("</w:t><w:fldChar", "</w:t></w:r><w:r><w:fldChar"),
    ] {
        out = out.replace(from, to);
    }
    out
}

fn styles(docx: Docx) -> Docx {
    let fonts = || RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT);
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .bold()
            .size(size)
            .outline_lvl(level)
            .line_spacing(LineSpacing::new().before(240).after(120))
            .fonts(fonts())
    };
    docx.default_fonts(fonts())
        .default_size(24)
        .add_style(
            Style::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .q_format(true)
                .size(24)
                .fonts(fonts())
                .line_spacing(LineSpacing::new().after(120)),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .q_format(true)
                .bold()
                .size(36)
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(480).after(480)),
        )
        .add_style(heading("Heading1", "heading 1", 32, 0))
        .add_style(heading("Heading2", "heading 2", 28, 1))
        .add_style(heading("Heading3", "heading 3", 24, 2))
        .add_style(
            Style::new("Clause", StyleType::Paragraph)
                .name("Clause")
                .based_on("Normal")
                .q_format(true)
                .align(AlignmentType::Both),
        )
        .add_style(
            Style::new("ListParagraph", StyleType::Paragraph)
                .name("List Paragraph")
                .based_on("Normal")
                .q_format(true)
                .line_spacing(LineSpacing::new().after(60)),
        )
        .add_style(
            Style::new("TableText", StyleType::Paragraph)
                .name("Table Text")
                .based_on("Normal")
                .size(20)
                .line_spacing(LineSpacing::new().after(0)),
        )
        .add_style(
            // An empty line of 6 pt after every table: Word puts the next paragraph right
            // under the table's last row otherwise, and joins two tables in a row into one.
            Style::new("TableGap", StyleType::Paragraph)
                .name("Table Gap")
                .based_on("Normal")
                .size(12)
                .line_spacing(LineSpacing::new().before(0).after(0)),
        )
}

fn bullets() -> AbstractNumbering {
    let mut a = AbstractNumbering::new(BULLETS);
    for level in 0..6 {
        a = a.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new(if level % 2 == 0 { "•" } else { "–" }),
                LevelJc::new("left"),
            )
            .indent(
                Some(360 * (level as i32 + 1)),
                Some(SpecialIndentType::Hanging(360)),
                None,
                None,
            ),
        );
    }
    a
}

fn decimal() -> AbstractNumbering {
    let mut a = AbstractNumbering::new(DECIMAL);
    for level in 0..6 {
        a = a.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new("decimal"),
                LevelText::new(format!("%{}.", level + 1)),
                LevelJc::new("left"),
            )
            .indent(
                Some(425 * (level as i32 + 1)),
                Some(SpecialIndentType::Hanging(425)),
                None,
                None,
            ),
        );
    }
    a
}

enum Block {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
    /// The table of contents: (level, heading) of the sections.
    Contents(Vec<(usize, String)>),
}

/// A paragraph being collected: its runs and plain text (to recognise a clause number).
#[derive(Default)]
struct Para {
    runs: Vec<Run>,
    text: String,
    style: Option<&'static str>,
    numbering: Option<(usize, usize)>,
}

impl Para {
    /// The paragraph's text alone, to measure.
    fn text_only(&self) -> Para {
        Para {
            text: self.text.clone(),
            ..Para::default()
        }
    }
}

#[derive(Default, Clone, Copy)]
struct Inline {
    bold: u32,
    italic: u32,
    code: bool,
}

struct TableBuild {
    alignments: Vec<Alignment>,
    rows: Vec<(bool, Vec<Para>)>,
    in_head: bool,
}

struct Writer {
    blocks: Vec<Block>,
    para: Option<Para>,
    inline: Inline,
    /// Open lists: the numbering id of each.
    lists: Vec<usize>,
    /// Numbered lists: (numbering id, start).
    numberings: Vec<(usize, usize)>,
    table: Option<TableBuild>,
    align: Option<AlignmentType>,
    /// Inside the approval block: the right part of the page, lines aligned left.
    approve: bool,
    /// Space (twips) before the next paragraph: the title page's blocks laid out down the page.
    space_before: Option<u32>,
    /// Inside the foot of the title page: a frame at the bottom of the page.
    foot: bool,
    page_break: bool,
    quote: u32,
    /// The text of an image and its file, written instead of it.
    image: Option<String>,
    image_url: Option<String>,
    /// Pictures by file name (SVG text).
    images: Vec<(String, String)>,
    /// Whether to add a table of contents; where it goes (the first section) and its items.
    toc: bool,
    toc_at: Option<usize>,
    headings: Vec<(usize, String)>,
    pictures: usize,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            blocks: Vec::new(),
            para: None,
            inline: Inline::default(),
            lists: Vec::new(),
            numberings: Vec::new(),
            table: None,
            align: None,
            approve: false,
            space_before: None,
            foot: false,
            page_break: false,
            quote: 0,
            image: None,
            image_url: None,
            images: Vec::new(),
            toc: false,
            toc_at: None,
            headings: Vec::new(),
            pictures: 0,
        }
    }

    fn open(&mut self, style: Option<&'static str>) {
        self.flush();
        self.para = Some(Para {
            style,
            ..Para::default()
        });
    }

    fn para(&mut self) -> &mut Para {
        self.para.get_or_insert_with(Para::default)
    }

    /// Ends the paragraph being collected, into the table cell or the document.
    fn flush(&mut self) {
        let Some(p) = self.para.take() else {
            return;
        };
        if let Some(t) = &mut self.table {
            if let Some((_, cells)) = t.rows.last_mut() {
                cells.push(p);
            }
            return;
        }
        if p.runs.is_empty() && p.numbering.is_none() {
            return;
        }
        let mut out = Paragraph::new();
        let style = p
            .style
            .unwrap_or_else(|| if is_clause(&p.text) { "Clause" } else { "Normal" });
        out = out.style(style);
        if let Some((id, level)) = p.numbering {
            out = out.numbering(NumberingId::new(id), IndentLevel::new(level));
        }
        if let Some(a) = self.align {
            out = out.align(a);
        }
        if self.quote > 0 {
            out = out.indent(Some(720), None, None, None);
        }
        if self.approve {
            out = out.indent(Some(APPROVE_INDENT), None, None, None);
        }
        if let Some(before) = self.space_before.take() {
            out = out.line_spacing(LineSpacing::new().before(before));
        }
        if self.foot {
            out = out
                .frame_width(TEXT_WIDTH as u32)
                .wrap("around")
                .v_anchor("margin")
                .h_anchor("margin")
                .x_align("center")
                .y_align("bottom");
        }
        if std::mem::take(&mut self.page_break) {
            out = out.page_break_before(true);
        }
        if style.starts_with("Heading") {
            out = out.keep_next(true);
        }
        let level = match style {
            "Heading1" => Some(1),
            "Heading2" => Some(2),
            _ => None,
        };
        if let Some(level) = level {
            if self.toc_at.is_none() {
                self.toc_at = Some(self.blocks.len());
            }
            self.headings.push((level, p.text.trim().to_string()));
            // A bookmark the contents' page reference points at.
            let id = self.headings.len();
            out = out.add_bookmark_start(id, format!("_Toc{id}"));
        }
        for r in p.runs {
            out = out.add_run(r);
        }
        if level.is_some() {
            out = out.add_bookmark_end(self.headings.len());
        }
        self.blocks.push(Block::Paragraph(Box::new(out)));
    }

    fn text(&mut self, text: &str) {
        if let Some(image) = &mut self.image {
            image.push_str(text);
            return;
        }
        let inline = self.inline;
        let p = self.para();
        p.text.push_str(text);
        let mut run = Run::new().add_text(text);
        if inline.bold > 0 {
            run = run.bold();
        }
        if inline.italic > 0 {
            run = run.italic();
        }
        if inline.code {
            run = run.fonts(RunFonts::new().ascii(MONO).hi_ansi(MONO).cs(MONO));
        }
        p.runs.push(run);
    }

    fn html(&mut self, html: &str) {
        if html.contains("page-break") {
            self.flush();
            self.page_break = true;
        } else if html.contains("class=\"approve\"") {
            self.flush();
            self.approve = true;
            // Below the organisation's name, when it heads the page.
            if !self.blocks.is_empty() {
                self.space_before = Some(APPROVE_GAP);
            }
        } else if html.contains("class=\"title cover\"") {
            // The title of a title page: a third of the way down, below the approval block.
            self.flush();
            self.align = Some(AlignmentType::Center);
            self.space_before = Some(COVER_DROP);
        } else if html.contains("class=\"title\"") || html.contains("class=\"org\"") {
            self.flush();
            self.align = Some(AlignmentType::Center);
        } else if html.contains("class=\"title-foot\"") {
            // The year at the foot of the title page, however much the page holds above it.
            self.flush();
            self.align = Some(AlignmentType::Center);
            self.foot = true;
        } else if html.trim_start().starts_with("</div") {
            self.flush();
            if self.foot {
                // A frame is anchored to the paragraph after it: an empty one keeps it on the
                // title page (the contents start on a page of their own).
                self.blocks
                    .push(Block::Paragraph(Box::new(Paragraph::new().style("Normal"))));
            }
            self.align = None;
            self.approve = false;
            self.foot = false;
            self.space_before = None;
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                self.inline.code = true;
                self.text(&t);
                self.inline.code = false;
            }
            Event::Html(h) | Event::InlineHtml(h) => self.html(&h),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => {
                let p = self.para();
                p.runs.push(Run::new().add_break(BreakType::TextWrapping));
                p.text.push('\n');
            }
            Event::Rule => {
                self.flush();
                self.blocks
                    .push(Block::Paragraph(Box::new(Paragraph::new().style("Normal"))));
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            // A loose list item's paragraph continues the item's; a cell's text is the cell's.
            Tag::Paragraph
                if self.table.is_some()
                    || self
                        .para
                        .as_ref()
                        .is_some_and(|p| p.numbering.is_some() && p.runs.is_empty()) => {}
            Tag::Paragraph => {
                let style = if self.lists.is_empty() {
                    None
                } else {
                    Some("ListParagraph")
                };
                self.open(style);
            }
            Tag::Heading { level, .. } => {
                // `#` is the document's title; its `##` sections are Word's top level.
                let style = match level {
                    HeadingLevel::H1 => "Title",
                    HeadingLevel::H2 => "Heading1",
                    HeadingLevel::H3 => "Heading2",
                    _ => "Heading3",
                };
                self.open(Some(style));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.open(None);
                self.inline.code = true;
            }
            Tag::List(start) => {
                self.flush();
                let id = match start {
                    Some(n) => {
                        let id = DECIMAL + 1 + self.numberings.len();
                        self.numberings.push((id, n as usize));
                        id
                    }
                    None => BULLETS,
                };
                self.lists.push(id);
            }
            Tag::Item => {
                let level = self.lists.len().saturating_sub(1);
                let id = self.lists.last().copied().unwrap_or(BULLETS);
                self.open(Some("ListParagraph"));
                self.para().numbering = Some((id, level));
            }
            Tag::Table(alignments) => {
                self.flush();
                self.table = Some(TableBuild {
                    alignments,
                    rows: Vec::new(),
                    in_head: false,
                });
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                    t.rows.push((true, Vec::new()));
                }
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push((false, Vec::new()));
                }
            }
            Tag::TableCell => {
                self.para = Some(Para::default());
            }
            Tag::Emphasis => self.inline.italic += 1,
            Tag::Strong => self.inline.bold += 1,
            Tag::Image { dest_url, .. } => {
                self.image = Some(String::new());
                self.image_url = Some(dest_url.to_string());
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            // A list item's own paragraph ends with the item.
            TagEnd::Paragraph | TagEnd::Heading(_)
                if !self.lists.is_empty() && self.para.as_ref().is_none_or(|p| p.numbering.is_some()) => {}
            TagEnd::Paragraph | TagEnd::Heading(_) => self.flush(),
            TagEnd::CodeBlock => {
                self.inline.code = false;
                self.flush();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::Item => self.flush(),
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
            }
            TagEnd::TableCell => {
                let p = self.para.take().unwrap_or_default();
                if let Some((_, cells)) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    cells.push(p);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    if std::mem::take(&mut self.page_break) {
                        self.blocks.push(Block::Paragraph(Box::new(
                            Paragraph::new().add_run(Run::new().add_break(BreakType::Page)),
                        )));
                    }
                    self.blocks.push(Block::Table(Box::new(table(t))));
                    self.blocks
                        .push(Block::Paragraph(Box::new(Paragraph::new().style("TableGap"))));
                }
            }
            TagEnd::Emphasis => self.inline.italic = self.inline.italic.saturating_sub(1),
            TagEnd::Strong => self.inline.bold = self.inline.bold.saturating_sub(1),
            TagEnd::Image => {
                let alt = self.image.take().unwrap_or_default();
                let url = self.image_url.take().unwrap_or_default();
                let picture = self
                    .images
                    .iter()
                    .find(|(name, _)| *name == url)
                    .and_then(|(_, svg)| rasterise(svg));
                if let Some((png, w, h)) = picture {
                    // As large as drawn, but no wider than the text.
                    let fit = (TEXT_WIDTH as f64 / w.max(1) as f64).min(1.0);
                    let (w, h) = ((w as f64 * fit) as u32, (h as f64 * fit) as u32);
                    // Ids count within the document, so the same Markdown gives the same bytes.
                    self.pictures += 1;
                    let pic = docx_rs::Pic::new_with_dimensions(png, w, h)
                        .id(format!("rIdImage{}", self.pictures))
                        .size(w * EMU_PER_TWIP, h * EMU_PER_TWIP);
                    let para = self.para();
                    para.runs.push(Run::new().add_image(pic));
                    return;
                }
                let text = if alt.is_empty() {
                    url.to_string()
                } else {
                    format!("{alt} ({url})")
                };
                self.text(&text);
            }
            _ => {}
        }
    }
}

/// `5.1.3. Текст` — a numbered clause of a regulation.
fn is_clause(text: &str) -> bool {
    let Some((number, _)) = text.split_once(". ") else {
        return false;
    };
    let parts: Vec<&str> = number.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Advance widths of the table font, in thousandths of an em: (character, regular, bold).
/// Measured from Liberation Serif, which has the metrics of Times New Roman (the font of the
/// documents); a character not listed counts as [`OTHER`].
const METRICS: &[(char, u16, u16)] = &[
    (' ', 250, 250),
    ('!', 333, 333),
    ('"', 408, 555),
    ('#', 500, 500),
    ('$', 500, 500),
    ('%', 833, 1000),
    ('&', 778, 833),
    ('\'', 180, 278),
    ('(', 333, 333),
    (')', 333, 333),
    ('*', 500, 500),
    ('+', 564, 570),
    (',', 250, 250),
    ('-', 333, 333),
    ('.', 250, 250),
    ('/', 278, 278),
    ('0', 500, 500),
    ('1', 500, 500),
    ('2', 500, 500),
    ('3', 500, 500),
    ('4', 500, 500),
    ('5', 500, 500),
    ('6', 500, 500),
    ('7', 500, 500),
    ('8', 500, 500),
    ('9', 500, 500),
    (':', 278, 333),
    (';', 278, 333),
    ('<', 564, 570),
    ('=', 564, 570),
    ('>', 564, 570),
    ('?', 444, 500),
    ('@', 921, 930),
    ('A', 722, 722),
    ('B', 667, 667),
    ('C', 667, 722),
    ('D', 722, 722),
    ('E', 611, 667),
    ('F', 556, 611),
    ('G', 722, 778),
    ('H', 722, 778),
    ('I', 333, 389),
    ('J', 389, 500),
    ('K', 722, 778),
    ('L', 611, 667),
    ('M', 889, 944),
    ('N', 722, 722),
    ('O', 722, 778),
    ('P', 556, 611),
    ('Q', 722, 778),
    ('R', 667, 722),
    ('S', 556, 556),
    ('T', 611, 667),
    ('U', 722, 722),
    ('V', 722, 722),
    ('W', 944, 1000),
    ('X', 722, 722),
    ('Y', 722, 722),
    ('Z', 611, 667),
    ('[', 333, 333),
    ('\\', 278, 278),
    (']', 333, 333),
    ('^', 469, 581),
    ('_', 500, 500),
    ('`', 333, 333),
    ('a', 444, 500),
    ('b', 500, 556),
    ('c', 444, 444),
    ('d', 500, 556),
    ('e', 444, 444),
    ('f', 333, 333),
    ('g', 500, 500),
    ('h', 500, 556),
    ('i', 278, 278),
    ('j', 278, 333),
    ('k', 500, 556),
    ('l', 278, 278),
    ('m', 778, 833),
    ('n', 500, 556),
    ('o', 500, 500),
    ('p', 500, 556),
    ('q', 500, 556),
    ('r', 333, 444),
    ('s', 389, 389),
    ('t', 278, 333),
    ('u', 500, 556),
    ('v', 500, 500),
    ('w', 722, 722),
    ('x', 500, 500),
    ('y', 500, 500),
    ('z', 444, 444),
    ('{', 480, 394),
    ('|', 200, 220),
    ('}', 480, 394),
    ('~', 541, 520),
    ('А', 722, 722),
    ('Б', 574, 661),
    ('В', 667, 667),
    ('Г', 578, 636),
    ('Д', 682, 688),
    ('Е', 611, 667),
    ('Ж', 896, 989),
    ('З', 501, 528),
    ('И', 722, 778),
    ('Й', 722, 778),
    ('К', 667, 725),
    ('Л', 678, 745),
    ('М', 889, 944),
    ('Н', 722, 778),
    ('О', 722, 778),
    ('П', 722, 778),
    ('Р', 556, 611),
    ('С', 667, 722),
    ('Т', 611, 667),
    ('У', 708, 734),
    ('Ф', 790, 859),
    ('Х', 722, 722),
    ('Ц', 722, 778),
    ('Ч', 650, 734),
    ('Ш', 1009, 1098),
    ('Щ', 1009, 1098),
    ('Ъ', 706, 765),
    ('Ы', 872, 982),
    ('Ь', 574, 661),
    ('Э', 660, 678),
    ('Ю', 1028, 1126),
    ('Я', 667, 722),
    ('а', 444, 500),
    ('б', 509, 500),
    ('в', 472, 540),
    ('г', 410, 454),
    ('д', 509, 506),
    ('е', 444, 444),
    ('ж', 691, 725),
    ('з', 395, 402),
    ('и', 535, 576),
    ('й', 535, 576),
    ('к', 486, 576),
    ('л', 499, 561),
    ('м', 633, 681),
    ('н', 535, 576),
    ('о', 500, 500),
    ('п', 535, 576),
    ('р', 500, 556),
    ('с', 444, 444),
    ('т', 437, 491),
    ('у', 500, 500),
    ('ф', 648, 692),
    ('х', 500, 500),
    ('ц', 535, 576),
    ('ч', 503, 564),
    ('ш', 770, 844),
    ('щ', 770, 844),
    ('ъ', 517, 583),
    ('ы', 672, 781),
    ('ь', 456, 529),
    ('э', 429, 432),
    ('ю', 747, 764),
    ('я', 460, 541),
    ('Ё', 611, 667),
    ('ё', 444, 444),
    ('І', 333, 389),
    ('і', 278, 278),
    ('«', 500, 500),
    ('»', 500, 500),
    ('—', 1000, 1000),
    ('–', 500, 500),
    ('№', 954, 1005),
    ('…', 1000, 1000),
    ('“', 444, 500),
    ('”', 444, 500),
    ('„', 444, 500),
    ('’', 333, 333),
    ('‘', 333, 333),
    ('×', 564, 570),
    ('−', 564, 570),
    ('•', 350, 350),
    ('°', 400, 400),
];
/// The width of a character missing from [`METRICS`] (₽, symbols), generous.
const OTHER: u16 = 700;

/// The width of `text` in twips at `half_points` (twice the size in points), bold or not.
pub fn text_width(text: &str, bold: bool, half_points: usize) -> usize {
    let thousandths: usize = text
        .chars()
        .map(|c| {
            let w = METRICS
                .iter()
                .find(|(m, ..)| *m == c)
                .map_or(OTHER, |&(_, regular, heavy)| if bold { heavy } else { regular });
            usize::from(w)
        })
        .sum();
    // An em is the size: half-points × 10 twips.
    (thousandths * half_points * 10).div_ceil(1000)
}

/// A cell that is only a number (`90 000 ₽`, `2 800 000 ₽`, `15 %`, `63,2`) is one amount and is
/// kept on one line.
fn is_amount(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || ",.%₽−-".contains(c))
}

/// The parts of a cell's text a line may not break inside: words (Word breaks at a space and
/// after a hyphen, which stays with the first part), or the whole of an amount.
fn unbreakable(text: &str) -> Vec<&str> {
    if is_amount(text) {
        return vec![text];
    }
    text.split_whitespace()
        .flat_map(|w| w.split_inclusive('-'))
        .collect()
}

/// The cell's side margins and borders (twips): Word's default 0.19 cm a side, and a little
/// room so that a word measured to fit is not pushed over by rounding in the viewer.
const CELL_MARGINS: usize = 260;
/// Beyond this width of one-line text (twips) a column wraps rather than taking more of the page.
const WIDE: usize = 3_400;
/// The sizes table text may take (half-points), largest first: a table whose longest words do
/// not fit at 10 pt (a form with eleven columns) is set smaller rather than broken mid-word.
const TABLE_SIZES: [usize; 4] = [20, 18, 16, 14];
/// The most a header turned on its side takes of the page's height (twips, 4.5 cm) before it
/// wraps onto another line.
const TURNED_HEIGHT: usize = 2_550;

/// For each column, the width its longest unbreakable part needs and the width its longest
/// text would like on one line (up to [`WIDE`]), at `half_points`; header cells are bold.
fn column_needs(rows: &[(bool, Vec<Para>)], columns: usize, half_points: usize) -> (Vec<usize>, Vec<usize>) {
    (0..columns)
        .map(|i| {
            let cells = rows
                .iter()
                .filter_map(|(head, cells)| cells.get(i).map(|p| (*head, p.text.as_str())));
            let word = cells
                .clone()
                .flat_map(|(head, t)| {
                    unbreakable(t)
                        .into_iter()
                        .map(move |w| text_width(w, head, half_points))
                })
                .max()
                .unwrap_or(0)
                .max(text_width("00", false, half_points));
            let line = cells
                .map(|(head, t)| text_width(t, head, half_points))
                .max()
                .unwrap_or(0);
            let wide = WIDE * half_points / 20;
            (word + CELL_MARGINS, line.min(wide).max(word) + CELL_MARGINS)
        })
        .unzip()
}

/// How a table is set: the size of its text (half-points), its column widths (twips) and, when
/// the header's words are too long for the columns (a responsibility matrix of many roles),
/// the height of a header row written bottom to top.
struct Layout {
    size: usize,
    widths: Vec<usize>,
    vertical_head: Option<usize>,
}

/// The layout of a table, following what the columns hold. Each column first gets room for its
/// longest word, measured in the font (so a header like «Ответственный» does not break inside
/// the word); the rest of the text width goes to the columns with longer text, in proportion
/// to how much more they would take on one line. When the longest words do not fit at 10 pt,
/// the text is set smaller ([`TABLE_SIZES`]); when the header's words do not fit even then but
/// the body's do, the header is turned to run bottom to top in a row as tall as its longest
/// word; when nothing fits, the columns share the width by both their words and their text.
/// Equal widths broke short headers mid-word and left a narrow «№» beside a squeezed «Этап».
fn column_widths(rows: &[(bool, Vec<Para>)], columns: usize) -> Layout {
    let fits = |least: &Vec<usize>| least.iter().sum::<usize>() <= TEXT_WIDTH;
    let flat = TABLE_SIZES
        .iter()
        .map(|&size| (size, column_needs(rows, columns, size)))
        .find(|(_, (least, _))| fits(least));
    let (size, (least, wish), vertical_head) = match flat {
        Some((size, needs)) => (size, needs, None),
        None => {
            let (head, body_rows): (Vec<_>, Vec<_>) = rows.iter().partition(|(h, _)| *h);
            let body_rows: Vec<(bool, Vec<Para>)> = body_rows
                .into_iter()
                .map(|(h, cells)| (*h, cells.iter().map(Para::text_only).collect()))
                .collect();
            let turned = TABLE_SIZES.iter().find_map(|&size| {
                // The header row is as tall as its longest text up to [`TURNED_HEIGHT`], and
                // never lower than its longest word (nor 2 cm); each header then takes as many
                // lines, side by side, as its text needs at that height.
                let texts = head.iter().flat_map(|(_, cells)| cells.iter());
                let word = texts
                    .clone()
                    .flat_map(|p| {
                        unbreakable(&p.text)
                            .into_iter()
                            .map(|w| text_width(w, true, size))
                    })
                    .max()
                    .unwrap_or(0);
                let longest = texts.map(|p| text_width(&p.text, true, size)).max().unwrap_or(0);
                let height = word.max(longest.min(TURNED_HEIGHT)).max(1_134 - CELL_MARGINS);
                let line = size * 12;
                let (mut least, mut wish) = column_needs(&body_rows, columns, size);
                for (i, (l, w)) in least.iter_mut().zip(wish.iter_mut()).enumerate() {
                    let text = head
                        .iter()
                        .filter_map(|(_, cells)| cells.get(i))
                        .map(|p| text_width(&p.text, true, size))
                        .max()
                        .unwrap_or(0);
                    // One line more than the text's length needs: lines break at words.
                    let lines = text.div_ceil(height) + usize::from(text > height);
                    let across = lines * line + CELL_MARGINS;
                    *l = (*l).max(across);
                    *w = (*w).max(across);
                }
                fits(&least).then_some((size, (least, wish), Some(height + CELL_MARGINS)))
            });
            turned.unwrap_or_else(|| {
                let smallest = TABLE_SIZES[TABLE_SIZES.len() - 1];
                (smallest, column_needs(rows, columns, smallest), None)
            })
        }
    };
    let least_sum: usize = least.iter().sum();
    let mut widths: Vec<usize> = if least_sum > TEXT_WIDTH {
        // Halfway between the words and the one-line text: a stage name in the body stays
        // readable, a header word may wrap.
        let share: Vec<usize> = least.iter().zip(&wish).map(|(l, w)| l + w).collect();
        let share_sum: usize = share.iter().sum();
        share.iter().map(|w| w * TEXT_WIDTH / share_sum).collect()
    } else {
        let spare = TEXT_WIDTH - least_sum;
        let extra: Vec<usize> = wish.iter().zip(&least).map(|(w, l)| w - l).collect();
        let extra_sum: usize = extra.iter().sum();
        least
            .iter()
            .zip(&extra)
            .map(|(l, e)| l + (spare * e).checked_div(extra_sum).unwrap_or(spare / columns))
            .collect()
    };
    // The rounding remainder goes to the widest column, so the table spans the text exactly.
    let rest = TEXT_WIDTH - widths.iter().sum::<usize>();
    if let Some(i) = (0..columns).max_by_key(|&i| widths[i]) {
        widths[i] += rest;
    }
    Layout {
        size,
        widths,
        vertical_head,
    }
}

fn table(t: TableBuild) -> Table {
    let columns = t.rows.iter().map(|(_, c)| c.len()).max().unwrap_or(1).max(1);
    // A sheet to sign (лист ознакомления): rows tall enough for a signature.
    let signing = t.rows.first().is_some_and(|(_, cells)| {
        cells
            .iter()
            .any(|c| c.text.contains("Подпись") || c.text.contains("Signature"))
    });
    let Layout {
        size,
        widths,
        vertical_head,
    } = column_widths(&t.rows, columns);
    let rows = t
        .rows
        .into_iter()
        .filter(|(_, cells)| !cells.is_empty())
        .map(|(head, cells)| {
            let cells = (0..columns)
                .zip(cells.into_iter().map(Some).chain(std::iter::repeat_with(|| None)))
                .map(|(i, p)| {
                    let mut para = Paragraph::new().style("TableText");
                    para = match t.alignments.get(i) {
                        Some(Alignment::Right) => para.align(AlignmentType::Right),
                        Some(Alignment::Center) => para.align(AlignmentType::Center),
                        _ => para,
                    };
                    // The header row stays on the page of the first body row.
                    if head {
                        para = para.keep_next(true);
                    }
                    for mut run in p.map(|p| p.runs).unwrap_or_default() {
                        if head {
                            run = run.bold();
                        }
                        if size != TABLE_SIZES[0] {
                            run = run.size(size);
                        }
                        para = para.add_run(run);
                    }
                    let mut cell = TableCell::new()
                        .width(widths[i], WidthType::Dxa)
                        .add_paragraph(para);
                    if head {
                        cell = cell.shading(Shading::new().fill("D9D9D9"));
                        if vertical_head.is_some() {
                            cell = cell.text_direction(docx_rs::TextDirectionType::BtLr);
                        }
                    }
                    cell
                })
                .collect();
            let row = TableRow::new(cells).cant_split();
            if let (true, Some(height)) = (head, vertical_head) {
                return row
                    .row_height(height as f32)
                    .height_rule(docx_rs::HeightRule::AtLeast);
            }
            if signing && !head {
                row.row_height(SIGNATURE_ROW)
                    .height_rule(docx_rs::HeightRule::AtLeast)
            } else {
                row
            }
        })
        .collect();
    Table::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut out = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect("the part"), &mut out).expect("UTF-8");
        out
    }

    /// (style, text, page break before, numbering (id, level), bold runs) per paragraph, and
    /// "TABLE rows×cols" for tables.
    fn blocks(md: &str) -> (Vec<String>, String) {
        let bytes = from_markdown(md);
        let xml = part(&bytes, "word/document.xml");
        let numbering = part(&bytes, "word/numbering.xml");
        let doc = roxmltree::Document::parse(&xml).expect("XML");
        let body = doc
            .descendants()
            .find(|n| n.has_tag_name((W, "body")))
            .expect("body");
        let attr = |n: roxmltree::Node, path: &[&str]| -> Option<String> {
            let mut cur = n;
            for name in path {
                cur = cur.children().find(|c| c.has_tag_name((W, *name)))?;
            }
            Some(cur.attribute((W, "val")).unwrap_or("on").to_string())
        };
        let out = body
            .children()
            .filter(|n| n.is_element())
            .filter_map(|n| {
                if n.has_tag_name((W, "tbl")) {
                    let rows: Vec<_> = n.children().filter(|c| c.has_tag_name((W, "tr"))).collect();
                    let cols = rows[0].children().filter(|c| c.has_tag_name((W, "tc"))).count();
                    return Some(format!("TABLE {}x{cols}", rows.len()));
                }
                if !n.has_tag_name((W, "p")) {
                    return None;
                }
                let text: String = n
                    .descendants()
                    .filter(|d| d.has_tag_name((W, "t")))
                    .filter_map(|d| d.text())
                    .collect();
                let bold: Vec<String> = n
                    .descendants()
                    .filter(|d| d.has_tag_name((W, "r")))
                    .filter(|r| attr(*r, &["rPr", "b"]).is_some())
                    .flat_map(|r| r.descendants().filter(|d| d.has_tag_name((W, "t"))))
                    .filter_map(|d| d.text().map(str::to_string))
                    .collect();
                Some(format!(
                    "{}|{}|{}|{}|{}",
                    attr(n, &["pPr", "pStyle"]).unwrap_or_default(),
                    text,
                    attr(n, &["pPr", "pageBreakBefore"]).map(|_| "PB").unwrap_or(""),
                    match (
                        attr(n, &["pPr", "numPr", "numId"]),
                        attr(n, &["pPr", "numPr", "ilvl"])
                    ) {
                        (Some(id), Some(l)) => format!("{id}.{l}"),
                        _ => String::new(),
                    },
                    bold.join("+")
                ))
            })
            .collect();
        (out, numbering)
    }

    #[test]
    fn markdown_becomes_styled_word_blocks() {
        let md = "# Заголовок\n\n## 1. Раздел\n\n1.1. Пункт с **жирным** и *курсивом*.\n\n\
                  - один\n  - вложенный\n- два\n\n1. первый\n2. второй\n\nтекст\n\n3. снова\n\n\
                  <div class=\"page-break\"></div>\n\n## Приложение А\n\n\
                  | a | b |\n|---|---:|\n| 1 | 2 |\n| 3 | 4 |\n";
        let (b, numbering) = blocks(md);
        assert_eq!(b[0], "Title|Заголовок|||");
        assert_eq!(b[1], "Heading1|1. Раздел|||");
        assert_eq!(b[2], "Clause|1.1. Пункт с жирным и курсивом.|||жирным");
        // Bullets, the nested one a level deeper.
        assert_eq!(b[3], "ListParagraph|один||10.0|");
        assert_eq!(b[4], "ListParagraph|вложенный||10.1|");
        assert_eq!(b[5], "ListParagraph|два||10.0|");
        // Each numbered list is its own Word numbering, restarting at its own start.
        assert_eq!(b[6], "ListParagraph|первый||12.0|");
        assert_eq!(b[7], "ListParagraph|второй||12.0|");
        assert_eq!(b[8], "Normal|текст|||");
        assert_eq!(b[9], "ListParagraph|снова||13.0|");
        assert!(numbering.contains("w:numId=\"13\""), "{numbering}");
        assert!(numbering.contains("<w:startOverride w:val=\"3\""), "{numbering}");
        // The page-break marker moves the next heading to a new page; the table keeps its shape.
        assert_eq!(b[10], "Heading1|Приложение А|PB||");
        assert_eq!(b[11], "TABLE 3x2");
        // A small empty line keeps the next paragraph off the table's last row.
        assert_eq!(b[12], "TableGap||||");
        assert_eq!(b.len(), 13, "{b:#?}");
    }

    #[test]
    fn a_page_break_before_a_table_is_kept_and_images_leave_their_file_name() {
        let md =
            "Текст\n\n<div class=\"page-break\"></div>\n\n| a |\n|---|\n| 1 |\n\n![Схема](<Продажа.svg>)\n";
        let (b, _) = blocks(md);
        assert_eq!(b[0], "Normal|Текст|||");
        // A page break of its own, then the table.
        assert_eq!(b[1], "||||");
        assert_eq!(b[2], "TABLE 2x1");
        assert_eq!(b[3], "TableGap||||");
        assert_eq!(b[4], "Normal|Схема (Продажа.svg)|||");
    }

    /// Two tables in a row stay two tables: Word would join them into one.
    #[test]
    fn tables_back_to_back_are_kept_apart() {
        let (b, _) = blocks("| a |\n|---|\n| 1 |\n\n| b | c |\n|---|---|\n| 2 | 3 |\n");
        assert_eq!(b, ["TABLE 2x1", "TableGap||||", "TABLE 2x2", "TableGap||||"]);
    }

    /// Deflated, without directory entries, and the same bytes every time (no hash-ordered
    /// properties, no timestamps), so regenerated documents diff cleanly.
    #[test]
    fn the_package_is_compressed_and_reproducible() {
        let md = "# Т\n\n## 1. Р\n\n1.1. Текст.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let a = from_markdown(md);
        assert_eq!(a, from_markdown(md));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&a)).expect("a zip");
        for i in 0..zip.len() {
            let entry = zip.by_index(i).expect("entry");
            assert!(!entry.is_dir(), "{}", entry.name());
            assert_eq!(
                entry.compression(),
                zip::CompressionMethod::Deflated,
                "{}",
                entry.name()
            );
        }
        assert!(zip.by_name("word/document.xml").is_ok());
    }

    /// The list format Word shows for numbering `num_id`: it must name exactly one concrete
    /// numbering and one abstract one, or Word and LibreOffice pick the first and a bullet list
    /// turned into «1. (1) ①».
    fn list_format(numbering: &str, num_id: &str) -> String {
        let doc = roxmltree::Document::parse(numbering).expect("XML");
        let nums: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "num")) && n.attribute((W, "numId")) == Some(num_id))
            .collect();
        assert_eq!(nums.len(), 1, "numId {num_id} once");
        let abstract_id = nums[0]
            .children()
            .find(|c| c.has_tag_name((W, "abstractNumId")))
            .and_then(|c| c.attribute((W, "val")))
            .expect("abstractNumId");
        let abstracts: Vec<_> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name((W, "abstractNum")) && n.attribute((W, "abstractNumId")) == Some(abstract_id)
            })
            .collect();
        assert_eq!(abstracts.len(), 1, "abstractNumId {abstract_id} once");
        abstracts[0]
            .descendants()
            .find(|n| n.has_tag_name((W, "numFmt")))
            .and_then(|n| n.attribute((W, "val")))
            .expect("numFmt")
            .to_string()
    }

    #[test]
    fn bullet_lists_are_bullets_and_numbered_lists_are_numbers() {
        let md = "- один\n  - вложенный\n\n1. первый\n";
        let (b, numbering) = blocks(md);
        let num_id = |block: &str| {
            block
                .split('|')
                .nth(3)
                .and_then(|n| n.split_once('.'))
                .map(|(id, _)| id.to_string())
        };
        let bullet = num_id(&b[0]).expect("numbered paragraph");
        let nested = num_id(&b[1]).expect("numbered paragraph");
        let decimal = num_id(&b[2]).expect("numbered paragraph");
        assert_eq!(list_format(&numbering, &bullet), "bullet");
        assert_eq!(list_format(&numbering, &nested), "bullet");
        assert_eq!(list_format(&numbering, &decimal), "decimal");
    }

    /// Columns are as wide as what they hold, and a header word is never broken.
    #[test]
    fn table_columns_follow_their_content_and_the_header_keeps_with_the_body() {
        let md = "| Должность | Штат | Подчиняется | Функция | Оклад |\n|---|---:|---|---|---:|\n\
                  | Менеджер по продажам | 3 | Руководитель отдела продаж | Ведёт сделки от заявки до оплаты | 45 000 ₽ |\n";
        let xml = part(&from_markdown(md), "word/document.xml");
        let doc = roxmltree::Document::parse(&xml).expect("XML");
        let grid: Vec<usize> = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "gridCol")))
            .filter_map(|n| n.attribute((W, "w")).and_then(|w| w.parse().ok()))
            .collect();
        assert_eq!(grid.len(), 5);
        assert_eq!(grid.iter().sum::<usize>(), TEXT_WIDTH);
        // «Штат» with a one-digit number is the narrowest; the function the widest.
        assert!(grid[1] < grid[0] && grid[1] < grid[2], "{grid:?}");
        assert!(grid[3] > grid[0], "{grid:?}");
        // «Подчиняется» (bold 10 pt, measured in the font, plus the cell margins) fits.
        assert!(
            grid[2] >= text_width("Подчиняется", true, 20) + CELL_MARGINS,
            "{grid:?}"
        );
        // An amount is not broken between its digits and its currency.
        assert!(
            grid[4] >= text_width("45 000 ₽", false, 20) + CELL_MARGINS,
            "{grid:?}"
        );
        let first_row = doc
            .descendants()
            .find(|n| n.has_tag_name((W, "tr")))
            .expect("row");
        let keep = first_row
            .descendants()
            .filter(|n| n.has_tag_name((W, "p")))
            .all(|p| p.descendants().any(|d| d.has_tag_name((W, "keepNext"))));
        assert!(keep, "the header row keeps with the next row");
    }

    /// The title page is laid out down the page: the organisation at the top, the approval
    /// block below it on the right, the title a third of the way down, the year at the foot.
    #[test]
    fn the_title_page_is_laid_out_down_the_page() {
        let md = "<div class=\"org\">\n\nООО «Ромашка»\n\n</div>\n\n<div class=\"approve\">\n\n\
                  **УТВЕРЖДАЮ**\n\n</div>\n\n<div class=\"title cover\">\n\n# Положение\n\n</div>\n\n\
                  <div class=\"title-foot\">\n\n2026\n\n</div>\n\n<div class=\"page-break\"></div>\n\n## 1. Общие\n";
        let xml = part(&from_markdown(md), "word/document.xml");
        let doc = roxmltree::Document::parse(&xml).expect("XML");
        let paras: Vec<_> = doc.descendants().filter(|n| n.has_tag_name((W, "p"))).collect();
        let text = |p: &roxmltree::Node| -> String {
            p.descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|n| n.text())
                .collect()
        };
        let attr = |p: &roxmltree::Node, tag: &str, name: &str| -> Option<String> {
            p.descendants()
                .find(|n| n.has_tag_name((W, tag)))
                .and_then(|n| n.attribute((W, name)))
                .map(str::to_string)
        };
        let find = |t: &str| paras.iter().find(|p| text(p) == t).expect(t);
        assert_eq!(
            attr(find("ООО «Ромашка»"), "jc", "val").as_deref(),
            Some("center")
        );
        assert_eq!(
            text(&paras[0]),
            "ООО «Ромашка»",
            "the organisation heads the page"
        );
        let approve = find("УТВЕРЖДАЮ");
        assert_eq!(attr(approve, "spacing", "before").as_deref(), Some("480"));
        assert_eq!(attr(approve, "ind", "left").as_deref(), Some("5400"));
        assert_eq!(
            attr(find("Положение"), "spacing", "before").as_deref(),
            Some("2800")
        );
        let foot = find("2026");
        assert_eq!(attr(foot, "framePr", "yAlign").as_deref(), Some("bottom"));
        assert_eq!(attr(foot, "framePr", "vAnchor").as_deref(), Some("margin"));
        assert_eq!(attr(foot, "framePr", "w"), Some(TEXT_WIDTH.to_string()));
        // The frame's anchor, an empty paragraph, stays on the title page.
        let at = paras.iter().position(|p| text(p) == "2026").expect("the foot");
        assert_eq!(text(&paras[at + 1]), "");
        // Nothing after the title page is framed or moved.
        assert_eq!(attr(find("1. Общие"), "framePr", "yAlign"), None);
    }

    /// The widths of the font: bold is wider, capitals wider than small letters, a size twice
    /// as large twice as wide.
    #[test]
    fn text_is_measured_in_the_font() {
        // «Ш» in Times New Roman is 1.009 em wide: 202 twips at 10 pt (rounded up).
        assert_eq!(text_width("Ш", false, 20), 202);
        assert!(text_width("Ответственный", true, 20) > text_width("Ответственный", false, 20));
        assert!(text_width("ШШШ", false, 20) > text_width("ааа", false, 20));
        assert!(text_width("Этап", false, 40).abs_diff(2 * text_width("Этап", false, 20)) <= 1);
        assert_eq!(
            unbreakable("Проджект-менеджер (пресейл)"),
            ["Проджект-", "менеджер", "(пресейл)"]
        );
        assert_eq!(unbreakable("2 800 000 ₽"), ["2 800 000 ₽"]);
    }

    /// A table of many columns with long words: no column is narrower than its longest word at
    /// the size the table's text is set in (a header turned on its side: no row lower), and the
    /// text is smaller only when 10 pt would not fit.
    #[test]
    fn no_column_is_narrower_than_its_longest_word() {
        let header = [
            "№",
            "Этап",
            "Вошло",
            "Перешло",
            "Потеряно",
            "Конверсия, %",
            "Норматив конверсии, %",
            "Отклонение, п. п.",
            "Выполнение",
            "Ответственный",
            "Меры",
        ];
        let body = [
            "1",
            "Бриф заполнен",
            "12",
            "8",
            "4",
            "66,7",
            "70",
            "−3,3",
            "95 %",
            "Менеджер",
            "—",
        ];
        let md = format!(
            "| {} |\n|{}\n| {} |\n",
            header.join(" | "),
            "---|".repeat(header.len()),
            body.join(" | ")
        );
        let xml = part(&from_markdown(&md), "word/document.xml");
        let doc = roxmltree::Document::parse(&xml).expect("XML");
        let grid: Vec<usize> = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "gridCol")))
            .filter_map(|n| n.attribute((W, "w")).and_then(|w| w.parse().ok()))
            .collect();
        assert_eq!(grid.iter().sum::<usize>(), TEXT_WIDTH);
        let size: usize = doc
            .descendants()
            .find(|n| n.has_tag_name((W, "sz")))
            .and_then(|n| n.attribute((W, "val")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(20);
        // A header turned bottom to top needs the row's height instead of the column's width.
        let turned: Option<usize> = doc
            .descendants()
            .find(|n| n.has_tag_name((W, "trHeight")))
            .and_then(|n| n.attribute((W, "val")))
            .and_then(|v| v.parse().ok());
        for (i, (h, b)) in header.iter().zip(body).enumerate() {
            for (text, bold) in [(*h, true), (b, false)] {
                let room = match turned {
                    Some(height) if bold => height,
                    _ => grid[i],
                };
                for word in unbreakable(text) {
                    let need = text_width(word, bold, size) + 216;
                    assert!(room >= need, "«{word}» needs {need}, column {i} has {room}");
                }
            }
        }
        // Six bold «Ответственный» do not fit at 10 pt, but do at 9 pt.
        let md = format!(
            "| {} |\n|{}\n| {} |\n",
            ["Ответственный"; 6].join(" | "),
            "---|".repeat(6),
            ["Менеджер"; 6].join(" | ")
        );
        let xml = part(&from_markdown(&md), "word/document.xml");
        assert!(xml.contains("<w:sz w:val=\"18\" />"), "{xml}");
        assert!(!xml.contains("textDirection"), "{xml}");
        // The same words in three columns fit at 10 pt: the size stays.
        let xml = part(
            &from_markdown(
                "| Этап | Ответственный | Конверсия |\n|---|---|---|\n| Бриф | Менеджер | 15 % |\n",
            ),
            "word/document.xml",
        );
        assert!(!xml.contains("<w:sz "), "{xml}");
    }

    /// Too many columns for the header's words even at 7 pt (a matrix of eleven roles): the
    /// header runs bottom to top in a row as tall as its longest word, the columns shrink alike
    /// and the table still spans the text.
    #[test]
    fn a_header_too_long_for_its_columns_turns_on_its_side() {
        let header = ["Отклонение"; 11];
        let md = format!(
            "| Этап | {} |\n|{}\n| Бриф заполнен |{}\n",
            header.join(" | "),
            "---|".repeat(12),
            " О |".repeat(11)
        );
        let xml = part(&from_markdown(&md), "word/document.xml");
        let doc = roxmltree::Document::parse(&xml).expect("XML");
        let widths: Vec<usize> = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "gridCol")))
            .filter_map(|n| n.attribute((W, "w")).and_then(|w| w.parse().ok()))
            .collect();
        assert_eq!(widths.len(), 12);
        assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
        assert!(widths[0] > widths[1], "{widths:?}");
        assert!(
            widths[1..].windows(2).all(|w| w[0].abs_diff(w[1]) <= 12),
            "{widths:?}"
        );
        let turned = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "textDirection")))
            .count();
        assert_eq!(turned, 12, "every header cell runs bottom to top");
        let height: usize = doc
            .descendants()
            .find(|n| n.has_tag_name((W, "trHeight")))
            .and_then(|n| n.attribute((W, "val")))
            .and_then(|v| v.parse().ok())
            .expect("a header row height");
        assert!(height >= text_width("Отклонение", true, 20) + 216, "{height}");
        // «Бриф заполнен» keeps its words whole across.
        assert!(widths[0] >= text_width("заполнен", false, 20) + 216, "{widths:?}");
    }

    #[test]
    fn clause_numbers_are_recognised() {
        assert!(is_clause("5.1.3. Этап «Заявка»"));
        assert!(is_clause("1.1. Настоящее Положение"));
        assert!(!is_clause("1. Звонок"));
        assert!(!is_clause("Всего 5.5. Дальше"));
    }
}
