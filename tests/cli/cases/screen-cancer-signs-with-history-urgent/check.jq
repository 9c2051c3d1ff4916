.[0] | .level == "urgent" and (.flags | map(.id)) == ["cancer-signs-and-history"] and .complete
