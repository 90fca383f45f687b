"""`python -m storfa` runs the command line, like the `storfa` script."""

from storfa.cli.main import main

if __name__ == "__main__":
    main()
