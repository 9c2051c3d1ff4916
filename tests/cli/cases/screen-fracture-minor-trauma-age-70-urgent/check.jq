.[0] | .level == "urgent" and (.flags | map(.id)) == ["fracture-older-age"] and .complete
