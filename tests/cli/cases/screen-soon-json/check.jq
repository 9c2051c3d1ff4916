.[0] | .level == "soon" and .self_care == "with-caution" and (.flags | map(.id)) == ["iv-drug-use"] and .complete
