.[0] | .level == "emergency" and .self_care == "stop" and .home == null and .clinic == [] and .causes == [] and (.advice[0] | test("emergency department"))
