//! The symbol index of one compilation: which name is under the cursor, where it is defined and
//! where it is used. Built from the table lowering fills ([`crate::model::Names`]), so it agrees
//! with the compiler's own name resolution.

use crate::model::{Names, Symbol};
use crate::source::{FileId, Span};

/// The symbol whose definition or use covers `offset` in `file`. The end of a name counts
/// (the cursor is usually just after the word it is on).
pub fn at(names: &Names, file: FileId, offset: usize) -> Option<(Symbol, Span)> {
    let offset = offset as u32;
    names
        .definitions
        .iter()
        .chain(&names.uses)
        .filter(|(_, span)| span.file == file && span.start <= offset && offset <= span.end)
        // The narrowest span wins: `Воронка.Этап` has two names side by side.
        .min_by_key(|(_, span)| span.end - span.start)
        .cloned()
}

/// Where a symbol is defined.
pub fn definition(names: &Names, symbol: &Symbol) -> Option<Span> {
    names.definition(symbol)
}

/// Every place a symbol is used, the definition first when asked for.
pub fn references(names: &Names, symbol: &Symbol, with_definition: bool) -> Vec<Span> {
    let definition = with_definition.then(|| names.definition(symbol)).flatten();
    definition
        .into_iter()
        .chain(
            names
                .uses
                .iter()
                .filter(|(s, _)| s == symbol)
                .map(|(_, span)| *span),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const TEXT: &str = "роль Хантер { штат 2 }
воронка Продажи {
  этап Звонок { ответственный Хантер; конверсия 50% }
  этап Встреча { ответственный Хантер; конверсия 50%; отказ -> Продажи.Звонок }
}
отчёт Дневной { составляет Хантер }
";

    fn at_word(word: &str, nth: usize) -> usize {
        TEXT.match_indices(word).nth(nth).unwrap().0
    }

    #[test]
    fn uses_resolve_to_the_definition_like_the_compiler() {
        let c = crate::compile_str(Path::new("t.sales"), TEXT);
        let (role, _) = at(&c.names, FileId(0), at_word("Хантер", 2)).unwrap();
        assert_eq!(role, Symbol::Role("Хантер".into()));
        let def = definition(&c.names, &role).unwrap();
        assert_eq!(def.start as usize, at_word("Хантер", 0));
        let refs = references(&c.names, &role, false);
        assert_eq!(refs.len(), 3);
        assert_eq!(references(&c.names, &role, true).len(), 4);
    }

    #[test]
    fn a_role_that_does_not_parse_is_still_a_definition() {
        let text = "роль Хантер { штат }\nканал Сайт { лиды 10 в мес; команда Хантер }\n";
        let c = crate::compile_str(Path::new("t.sales"), text);
        assert!(c.has_errors());
        let at_use = text.rfind("Хантер").unwrap();
        let (role, _) = at(&c.names, FileId(0), at_use).unwrap();
        assert_eq!(
            definition(&c.names, &role).unwrap().start as usize,
            text.find("Хантер").unwrap()
        );
    }

    #[test]
    fn a_qualified_target_names_a_pipeline_and_a_stage() {
        let c = crate::compile_str(Path::new("t.sales"), TEXT);
        let pipeline = at(&c.names, FileId(0), at_word("Продажи", 1)).unwrap().0;
        assert_eq!(pipeline, Symbol::Pipeline("Продажи".into()));
        let stage = at(&c.names, FileId(0), at_word("Звонок", 1) + 2).unwrap().0;
        let expected = Symbol::Stage {
            pipeline: "Продажи".into(),
            stage: "Звонок".into(),
        };
        assert_eq!(stage, expected);
        assert_eq!(
            definition(&c.names, &stage).unwrap().start as usize,
            at_word("Звонок", 0)
        );
        // Nothing on a keyword.
        assert!(at(&c.names, FileId(0), at_word("штат", 0) + 2).is_none());
    }
}
