.[0] | .level == "urgent" and .self_care == "stop" and (.flags | map(.id)) == ["fever", "night-pain"] and (.flags[0].advice | test("within a day or two"))
