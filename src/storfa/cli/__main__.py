from storfa.cli.main import main

main()
