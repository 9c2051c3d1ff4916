.[0] | .level == "urgent" and .self_care == "stop" and (.flags | map(.id)) == ["fever"] and (.flags[0].advice | test("within a day or two"))
