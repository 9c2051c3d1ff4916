.[0] | .level == "emergency" and (.flags | map(.id)) == ["unsteady-walking", "cancer-nerve-symptoms"] and .complete
