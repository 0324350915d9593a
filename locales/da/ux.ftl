# Words of the staff pages added with issue 12 (second part): the mover's
# language beside emailed text, reassigning cases, stand-ins, the visit
# cancellation's stage, the language switch that keeps what was typed, and
# the email preview.

## The mover's language beside every free-text field that is emailed
mover-reads-da = Sendes til borgeren på dansk.
mover-reads-en = Sendes til borgeren på engelsk: skriv teksten på engelsk.

## Menu
base-nav-areas = Lokalområder

## Timeline: why a case changed hands
event-because-deactivated = brugeren blev deaktiveret
event-because-away = vikar under fravær
event-because-back = tilbage efter fravær

## Users page: what just happened
admin-done-deactivated = { $n ->
    [0] Brugeren er deaktiveret. Brugeren havde ingen åbne sager.
    [one] Brugeren er deaktiveret, og 1 åben sag er flyttet.
   *[other] Brugeren er deaktiveret, og { $n } åbne sager er flyttet.
}
admin-done-activated = Brugeren er genaktiveret.
admin-done-away = { $n ->
    [one] Fraværet er registreret, og 1 åben sag er givet til vikaren.
   *[other] Fraværet er registreret, og { $n } åbne sager er givet til vikaren.
}
admin-done-back = { $n ->
    [one] Fraværet er afsluttet, og 1 sag er kommet tilbage.
   *[other] Fraværet er afsluttet, og { $n } sager er kommet tilbage.
}
admin-away-with = Fraværende, vikar: { $name }
admin-covers = Vikar for { $names }
admin-away-link = Fravær og vikar
admin-away-end-link = Afslut fravær
admin-open-count = { $n ->
    [one] 1 åben sag
   *[other] { $n } åbne sager
}

## Deactivating a user
deactivate-heading = Deaktivér { $name }?
deactivate-lead = Brugeren bliver logget ud med det samme, og deres API-nøgler og links holder op med at virke. Nye henvendelser går ikke længere til dem.
deactivate-back = Tilbage til brugere
deactivate-hand-to = Hvem overtager de åbne sager ({ $n })?
deactivate-hand-to-hint = Hver sag får en hændelse på tidslinjen. Ufordelte sager venter i køen, til en konsulent tager dem.
deactivate-choose = Vælg …
deactivate-unassigned = Ingen – sagerne bliver ufordelt
deactivate-show-cases = { $n ->
    [one] Vis sagen
   *[other] Vis de { $n } sager
}
deactivate-no-cases = Brugeren har ingen åbne sager.

## Absence and stand-in (vikar)
away-heading = Fravær og vikar for { $name }
away-lead = Mens konsulenten er væk, går deres åbne sager og nye henvendelser, der ville være gået til dem, til vikaren. Når fraværet afsluttes, kommer de sager tilbage, som vikaren stadig har.
away-substitute = Vikar
away-substitute-hint = { $n ->
    [0] Konsulenten har ingen åbne sager lige nu; nye henvendelser går til vikaren.
    [one] Den åbne sag går til vikaren nu.
   *[other] De { $n } åbne sager går til vikaren nu.
}
away-start = Registrér fravær
away-now = { $name } er væk. { $substitute } er vikar.
away-handed = { $n ->
    [one] 1 sag er givet til vikaren under fraværet.
   *[other] { $n } sager er givet til vikaren under fraværet.
}
away-back-hint = De sager, vikaren stadig har fra fraværet, kommer tilbage. Sager, som vikaren har givet videre eller lukket, bliver, hvor de er.
away-back = { $name } er tilbage

## Refusals (named after the field they concern)
staffing-refusal-choose-hand-to = Hvem overtager de åbne sager: vælg en konsulent eller «Ingen – sagerne bliver ufordelt».
staffing-refusal-not-available = Den valgte person kan ikke overtage sager: vælg en aktiv konsulent, der ikke selv er væk.
staffing-refusal-not-yourself = Du kan ikke deaktivere dig selv.
staffing-refusal-already-away = Konsulenten er allerede registreret som fraværende.
staffing-refusal-is-stand-in = Konsulenten er vikar for en anden: afslut det fravær først.
staffing-refusal-not-staff = Kun konsulenter og administratorer har sager og kan have en vikar.
staffing-refusal-choose-substitute = Vikar: vælg, hvem der overtager sagerne.

## Cancelling a visit: the stage afterwards
cancel-visit-stage-legend = Hvad betyder aflysningen for sagen?
cancel-visit-stay = Sagen bliver i Besøg: der planlægges et nyt besøg
cancel-visit-back = Sagen går tilbage til Information: der er ikke noget besøg på vej
cancel-visit-note = Note til tidslinjen (valgfri)
cancel-visit-note-hint = Kun til kolleger. Går sagen tilbage til Information uden en note, skrives "Besøget er aflyst."
cancel-visit-default-note = Besøget er aflyst.
cancel-visit-choose-stage = Hvad betyder aflysningen for sagen: vælg, om sagen bliver i Besøg eller går tilbage til Information.

## The language switch that keeps what was typed
base-default-submit = Send

## The email preview
email-preview-as-mover = Sådan ser borgeren e-mailen: på borgerens sprog og med sagens oplysninger.
email-preview-plain = Vis tekstudgaven
case-preview-button = Forhåndsvis e-mailen
case-preview-heading = Forhåndsvisning: det får borgeren
case-preview-none = Denne handling sender ingen e-mail til borgeren.
