.level == "none" and .self_care == "allowed" and .complete
