.level == "urgent" and (.flags | map(.id)) == ["fracture-older-age"] and .flags[0].answers == ["minor-trauma", "age"]
