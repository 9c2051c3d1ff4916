.level == "urgent" and (.flags | map(.id)) == ["cancer-spine-pain"]
