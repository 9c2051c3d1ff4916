.self_care == "stop" and .home == null and .clinic == []
