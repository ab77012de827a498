"""What every command shares: its exit codes."""

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3
EXIT_LINKS = 4
