.[0] | .level == "urgent" and (.flags | map(.id)) == ["cancer-spine-pain"] and .complete and (.flags[0].advice | test("24 hours"))
