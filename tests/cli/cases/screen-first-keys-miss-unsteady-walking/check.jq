.[0] | .level == "none" and .complete == false and .missing == ["unsteady-walking"]
