fn main() -> std::process::ExitCode {
    velkomst::cli::main()
}
