//! The house has no import circles: at every level of the module tree, the modules that share a
//! parent depend on each other without a cycle (`cli::simulate` may use `render::report`, which
//! must not use `cli`; `render::svg` and `render::docs` must not use each other both ways). A
//! child using its parent's items (`super::EXIT_OK`) and a parent using its children are not
//! edges: that is the tree itself. References are read from `crate::…` and `super::…` paths
//! (in `use` lines and in code), comments and `#[cfg(test)]` modules left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every library module with its source: `src/lib.rs` is the root, `a/mod.rs` and `a.rs` are
/// `a`.
fn modules(dir: &Path, out: &mut BTreeMap<Module, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            modules(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))
            .unwrap();
        let mut parts: Module = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts == ["main"] {
            continue;
        }
        if parts == ["lib"] || parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        out.insert(parts, std::fs::read_to_string(&path).unwrap());
    }
}

/// The source without comments and without the test module (which sits at the end of a file).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| l.find("//").map_or(l, |i| &l[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    (&s[..end], &s[end..])
}

/// The paths after `prefix` at the start of `rest`: `a::b::c`, or each element of
/// `a::{b, c::d}`.
fn paths(prefix: Vec<String>, rest: &str, out: &mut Vec<Vec<String>>) {
    let mut segs = prefix;
    let mut rest = rest;
    loop {
        let trimmed = rest.trim_start();
        if let Some(group) = trimmed.strip_prefix('{') {
            let mut depth = 1;
            let mut end = group.len();
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            let inner = &group[..end];
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices().chain([(inner.len(), ',')]) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        paths(segs.clone(), &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            return;
        }
        let (name, after) = ident(trimmed);
        if name.is_empty() {
            out.push(segs);
            return;
        }
        segs.push(name.to_owned());
        match after.strip_prefix("::") {
            Some(next) => rest = next,
            None => {
                out.push(segs);
                return;
            }
        }
    }
}

/// The modules `module`'s source refers to, each resolved to the deepest module that exists.
fn references(module: &Module, text: &str, all: &BTreeMap<Module, String>) -> BTreeSet<Module> {
    let code = code(text);
    let mut found = Vec::new();
    for (i, _) in code.match_indices("::") {
        let before = &code[..i];
        let word_start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |j| j + 1);
        let word = &before[word_start..];
        // Only the first segment of a path: `crate::` or a run of `super::`.
        let preceded = before[..word_start].ends_with("::");
        if preceded || (word != "crate" && word != "super") {
            continue;
        }
        let mut base: Module = if word == "crate" {
            Vec::new()
        } else {
            module[..module.len().saturating_sub(1)].to_vec()
        };
        let mut rest = &code[i + 2..];
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        paths(base, rest, &mut found);
    }
    found
        .into_iter()
        .map(|path| {
            let mut target: Module = Vec::new();
            for seg in path {
                target.push(seg);
                if !all.contains_key(&target) {
                    target.pop();
                    break;
                }
            }
            target
        })
        .collect()
}

/// Edges between siblings: `a::x::…` using `a::y::…` is `a::x → a::y`.
fn sibling_edges(all: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, text) in all {
        for target in references(module, text, all) {
            let common = module.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if module.len() <= common || target.len() <= common {
                continue; // the same module, an ancestor or a descendant
            }
            edges
                .entry(module[..=common].to_vec())
                .or_default()
                .insert(target[..=common].to_vec());
        }
    }
    edges
}

/// The cycles of the graph, each as a path `a → b → … → a` (one per strongly connected set).
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<String> {
    let name = |m: &Module| {
        if m.is_empty() {
            "crate".to_owned()
        } else {
            m.join("::")
        }
    };
    let mut found = Vec::new();
    let mut done: BTreeSet<Module> = BTreeSet::new();
    for start in edges.keys() {
        if done.contains(start) {
            continue;
        }
        // Depth-first from `start`, looking for a way back to it.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == start {
                    let mut names: Vec<String> = path.iter().map(name).collect();
                    names.push(name(start));
                    found.push(names.join(" → "));
                    done.extend(path.iter().cloned());
                    stack.clear();
                    break;
                }
                if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    found
}

fn graph_of(files: &[(&str, &str)]) -> BTreeMap<Module, BTreeSet<Module>> {
    let all: BTreeMap<Module, String> = files
        .iter()
        .map(|(m, t)| {
            let m: Module = if m.is_empty() {
                Vec::new()
            } else {
                m.split("::").map(str::to_owned).collect()
            };
            (m, (*t).to_owned())
        })
        .collect();
    sibling_edges(&all)
}

#[test]
fn no_import_circles_in_src() {
    let mut all = BTreeMap::new();
    modules(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), &mut all);
    assert!(all.len() > 50, "the walk found only {} modules", all.len());
    let edges = sibling_edges(&all);
    // The layers the check must see, or it reads nothing.
    let has = |a: &str, b: &str| {
        edges
            .get(&vec![a.to_owned()])
            .is_some_and(|e| e.contains(&vec![b.to_owned()]))
    };
    assert!(has("cli", "render") && has("sim", "model") && has("render", "diag"));
    let found = cycles(&edges);
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_a_circle_between_siblings_and_ignores_the_tree() {
    let edges = graph_of(&[
        ("", "pub mod a; pub mod b;"),
        ("a", "use crate::b::{x, y::z};"),
        ("b", "pub mod y;"),
        ("b::y", "use super::super::a::f; // crate::c"),
    ]);
    assert_eq!(cycles(&edges), ["a → b → a"]);
    // A child using its parent and a parent using its child are the tree, not a circle.
    let edges = graph_of(&[
        ("", "pub mod a;"),
        ("a", "mod s; fn f() { s::run(); }"),
        ("a::s", "use super::EXIT; fn run() { crate::a::g(); }"),
    ]);
    assert!(cycles(&edges).is_empty());
    // Comments and test modules do not count.
    let edges = graph_of(&[
        ("", ""),
        ("a", "use crate::b::x;"),
        ("b", "// crate::a\n#[cfg(test)]\nmod tests { use crate::a::x; }"),
    ]);
    assert!(cycles(&edges).is_empty());
}

/// Every statement the grammar allows in a block (the alternatives of `item` and of each
/// `*_attr` rule of `grammar/voronka.pest`) is named in the lowering (`src/model/lower/`), whose
/// statement matches end in `outside_grammar` rather than a silent `_ => {}`: a construct added
/// to the grammar but not lowered fails here.
#[test]
fn every_statement_of_the_grammar_is_lowered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let grammar = std::fs::read_to_string(root.join("grammar/voronka.pest")).unwrap();
    let grammar: String = grammar
        .lines()
        .map(|l| l.find("//").map_or(l, |i| &l[..i]))
        .collect::<Vec<_>>()
        .join("\n");
    let mut lowering = String::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join("src/model/lower"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        lowering += &std::fs::read_to_string(f).unwrap();
    }
    let mut blocks = 0;
    let mut missing = Vec::new();
    for (i, _) in grammar.match_indices(" = _{") {
        let name = grammar[..i].rsplit('\n').next().unwrap_or_default().trim();
        if name != "item" && !name.ends_with("_attr") {
            continue;
        }
        blocks += 1;
        let body = &grammar[i + 5..];
        let body = &body[..body.find('}').unwrap()];
        for alt in body.split('|').map(str::trim).filter(|a| !a.is_empty()) {
            let named = [" ", ",", ")", " =>"]
                .iter()
                .any(|end| lowering.contains(&format!("Rule::{alt}{end}")));
            if !named {
                missing.push(format!("{name}: {alt}"));
            }
        }
    }
    assert!(blocks >= 15, "only {blocks} blocks found in the grammar");
    assert!(
        missing.is_empty(),
        "statements the lowering never names:\n{}",
        missing.join("\n")
    );
}
