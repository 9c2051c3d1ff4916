.[0] | .level == "urgent" and (.flags | map(.id)) == ["fracture-thin-bones"] and .complete and .self_care == "stop"
