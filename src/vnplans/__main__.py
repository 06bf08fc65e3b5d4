from vnplans.cli import main

raise SystemExit(main())
