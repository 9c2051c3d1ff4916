.[0] | .level == "emergency" and .self_care == "stop" and .home == null and .warnings == ["cauda-equina"]
