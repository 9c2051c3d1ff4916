.[0] | .level == "soon" and (.flags | map(.id)) == ["cancer-signs"] and .complete and .self_care == "with-caution" and (.flags[0].answers == ["weight-loss", "age"])
