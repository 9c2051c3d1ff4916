.[0] | .level == "urgent" and (.flags | map(.id)) == ["thin-bones-older-age"] and .complete
