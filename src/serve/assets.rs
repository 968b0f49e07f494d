//! The page's files, embedded in the binary: no CDN, no network, no build step.

pub const INDEX: &str = include_str!("../../assets/serve/index.html");
pub const SCRIPT: &str = include_str!("../../assets/serve/app.js");
pub const STYLE: &str = include_str!("../../assets/serve/app.css");
