fn main() {
    std::process::exit(voronka::cli::run())
}
