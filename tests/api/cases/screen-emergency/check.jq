.level == "emergency" and .self_care == "stop"
