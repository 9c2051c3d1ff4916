.[0] | .level == "soon" and (.flags | map(.id)) == ["axial-spondyloarthritis"] and .complete and (.flags[0].advice | test("rheumatologist"))
