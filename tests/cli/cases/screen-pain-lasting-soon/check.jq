.[0] | .level == "soon" and (.flags | map(.id)) == ["pain-lasting"] and .complete
