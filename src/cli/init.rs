pub fn run(_a: &super::args::InitArgs, _l: crate::diag::Lang) -> i32 {
    0
}
