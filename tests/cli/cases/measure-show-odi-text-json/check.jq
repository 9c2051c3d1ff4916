.[0] | .items[0].text == "Section 1 in the clinic's licensed wording" and (.licence.text_file | endswith("odi-text.json")) and (.licence.text_licence | startswith("Placeholder wording"))
