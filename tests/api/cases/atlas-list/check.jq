(.causes | length) == 26 and ([.causes[] | select(.kind == "trigger-point") | .muscle and .site] | all) and ([.causes[] | select(.kind != "trigger-point") | .muscle] | all(. == null))
