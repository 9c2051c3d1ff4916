.[0] | .level == "urgent" and (.flags | map(.id)) == ["cancer-spine-pain"] and .complete
