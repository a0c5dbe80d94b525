//! The practice page served at `/`: one HTML file with its styles and script inline, so
//! it works offline and fetches nothing from elsewhere (page.html beside this file).

pub const PAGE: &str = include_str!("page.html");
