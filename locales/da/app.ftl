# Velkomst — dansk. Alle ord, som borgere og medarbejdere ser.

yes = Ja
no = Nej

## Formularer og fejl
form-error-summary = Der er fejl i formularen
form-error-title-prefix = Fejl:
error-required = Skal udfyldes.
error-too-long-200 = Må højst være 200 tegn.
error-too-long-4000 = Må højst være 4000 tegn.
error-too-long = Er for lang.
error-control-chars = Indeholder tegn, der ikke kan bruges.
error-email-invalid = Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.
error-phone-invalid = Et telefonnummer må kun indeholde tal, mellemrum og + - ( ).
error-choice-invalid = Vælg en af mulighederne.
error-number-invalid = Skriv et helt tal.
error-adults-range = Antal voksne skal være mellem 1 og 10.
error-children-too-many = Der kan højst angives 15 børn.
error-birth-year-invalid = Skriv fødselsåret med fire cifre, fx 2019.
error-birth-year-range = Fødselsåret skal ligge inden for de seneste 18 år.
error-campaign-invalid = Kampagnekoden er ugyldig.
error-form-expired = Formularen er udløbet. Tjek felterne og send igen.
error-password-too-short = Adgangskoden skal være mindst 12 tegn.
error-password-mismatch = De to adgangskoder er ikke ens.
error-email-taken = Der findes allerede en bruger med den e-mailadresse.
error-unknown-field = Ukendt felt.
error-must-be-string = Skal være tekst.
error-must-be-integer = Skal være et helt tal.
error-must-be-integer-list = Skal være en liste af hele tal.
error-must-be-string-list = Skal være en liste af tekster.
error-must-be-bool = Skal være true eller false.
error-must-be-object = Skal være et JSON-objekt.
error-stage-invalid = Ukendt fase.
error-outcome-invalid = Ukendt udfald.
error-transition-shape = Angiv præcis én af to, close eller reopen.

## Fejlsider
error-page-not-found = Siden findes ikke
error-page-forbidden = Du har ikke adgang til siden
error-page-csrf = Formularen er udløbet. Gå tilbage, genindlæs siden og prøv igen.
error-page-bad-request = Forespørgslen kunne ikke behandles
error-page-too-large = Indholdet er for stort
error-page-rate-limited = Vi har modtaget mange henvendelser fra din forbindelse. Prøv igen senere.
error-page-unavailable = Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.
error-page-internal = Der skete en fejl hos os. Prøv igen om lidt.
error-page-correlation = Oplys denne kode, hvis du kontakter os:
error-page-home = Gå til forsiden

## Henvendelsesformularen
inquiry-title = Overvejer du at flytte hertil?
inquiry-lead = Fortæl os lidt om jer, så hjælper { $municipality }s bosætningskonsulent jer videre — med bolig og byggegrunde, dagtilbud og skoler, job og lokalliv.
inquiry-honeypot = Udfyld ikke dette felt
inquiry-section-you = Om dig
inquiry-section-household = Jeres husstand
inquiry-section-wishes = Jeres ønsker
inquiry-section-consent = Kontakt fra lokale ambassadører
inquiry-privacy = { $municipality } bruger oplysningerne til at hjælpe jer med flytningen og sletter dem, når sagen er afsluttet. Du kan altid bede om indsigt eller sletning.
inquiry-submit = Send henvendelse
field-name = Navn
field-email = E-mail
field-email-hint = Vi sender en kvittering og vores svar hertil.
field-phone = Telefon
field-moving-from = Hvor flytter I fra?
field-moving-from-hint = By, kommune eller land.
field-language = Hvilket sprog vil du skrives til på?
field-adults = Antal voksne
field-children = Børn
field-children-hint = Skriv børnenes fødselsår ({ $min }–{ $max }). Lad felterne stå tomme, hvis I ikke har børn.
field-child-n = Barn { $n }, fødselsår
field-housing = Bolig
field-timeframe = Hvornår vil I flytte?
field-areas = Hvilke lokalområder er I interesserede i?
field-areas-hint = Vælg gerne flere.
field-interests = Hvad interesserer jer?
field-job-help = Jeg ønsker hjælp til at finde job til mig eller min partner
field-message = Besked
field-message-hint = Fortæl gerne mere om jeres ønsker og spørgsmål (højst 4000 tegn).
field-ambassador-contact = En lokal ambassadør må kontakte os
field-ambassador-contact-hint = Ambassadører er frivillige fra lokalråd, foreninger og virksomheder, som viser nye borgere rundt. De får kun de oplysninger, de har brug for.
field-password = Adgangskode
field-new-password = Ny adgangskode
field-new-password-hint = Mindst 12 tegn. En sætning er let at huske og svær at gætte.
field-password-again = Gentag adgangskoden
housing-buy = Købe bolig
housing-rent = Leje bolig
housing-build = Bygge på en grund
housing-undecided = Ved ikke endnu
timeframe-0-6m = Inden for 6 måneder
timeframe-6-12m = Om 6–12 måneder
timeframe-12mplus = Om mere end et år
timeframe-undecided = Ved ikke endnu

## Kvittering
receipt-title = Tak for din henvendelse
receipt-reference = Dit sagsnummer er
receipt-next-heading = Hvad sker der nu?
receipt-next = En bosætningskonsulent fra { $municipality } kontakter dig inden for to hverdage. Du får også en kvittering på e-mail.
receipt-keep-reference = Gem sagsnummeret, hvis du vil kontakte os om din henvendelse.

## Log ind og opsætning
login-title = Log ind
login-submit = Log ind
login-failed = E-mail eller adgangskode er forkert.
login-setup-done = Adgangskoden er gemt. Du kan nu logge ind.
setup-title = Vælg adgangskode
setup-first-admin-title = Opret den første administrator
setup-first-admin-lead = Der er ingen brugere endnu. Opret dig selv som administrator; derefter kan du oprette konsulenter.
setup-password-lead = Vælg en adgangskode til { $name }.
setup-submit = Gem

## Sagskøen
queue-title = Sager
queue-counts-label = Åbne sager pr. fase
queue-all-open = Alle åbne
queue-search = Søg navn, e-mail eller sagsnummer
queue-stage = Fase
queue-assignee = Sagsbehandler
queue-anyone = Alle
queue-me = Mine sager
queue-unassigned = Ikke fordelt
queue-area = Lokalområde
queue-all-areas = Alle områder
queue-overdue = Kun sager over svarfristen
queue-filter = Vis
queue-empty = Ingen sager matcher.
queue-col-reference = Sagsnr.
queue-col-name = Navn
queue-col-stage = Fase
queue-col-areas = Områder
queue-col-assignee = Sagsbehandler
queue-col-waiting = Venter siden
queue-children = { $n ->
    [one] 1 barn
   *[other] { $n } børn
}
queue-overdue-badge = Over fristen
queue-pages = Sider
queue-first-page = Første side
queue-next-page = Næste side
queue-bad-stage = Ukendt fase i filteret; alle åbne sager vises.
queue-bad-assignee = Ukendt sagsbehandler i filteret; alle åbne sager vises.
queue-bad-area = Ukendt lokalområde i filteret; alle åbne sager vises.
queue-bad-q = Søgeteksten er for lang; alle åbne sager vises.
queue-bad-overdue = Ugyldigt filter; alle åbne sager vises.
queue-bad-after = Siden findes ikke længere; første side vises.
queue-bad-limit = Ugyldigt antal; alle åbne sager vises.

## Faser og udfald
stage-information = Information
stage-visit = Besøg
stage-move_in = Indflytning
stage-welcome_package = Velkomstpakke
stage-closed = Lukket
outcome-welcomed = Budt velkommen
outcome-chose_elsewhere = Valgte et andet sted
outcome-no_response = Intet svar
outcome-withdrawn = Trukket tilbage
outcome-duplicate = Dublet
outcome-spam = Spam

## Sagen
case-back-to-queue = ← Tilbage til sagerne
case-awaiting-contact = Afventer første kontakt
case-contact = Kontakt
case-household = Husstand og ønsker
case-children-born = Børn, fødselsår
case-job-help = Ønsker jobhjælp
case-consent = Samtykke til ambassadørkontakt
case-consent-yes = Ja, givet ved henvendelsen
case-consent-no = Nej
case-campaign = Kampagne
case-received = Modtaget
case-timeline = Tidslinje
case-actions = Handlinger
case-move = Flyt sagen
case-move-to = Videre til
case-step-back-to = Tilbage til
case-skip-visit = spring besøget over
case-close = Luk sagen
case-outcome = Udfald (ved lukning)
case-note = Note
case-note-hint = Krævet, når sagen flyttes tilbage eller genåbnes.
case-save-move = Gem
case-record-contact = Registrér første kontakt
case-reopen-note = Hvorfor genåbnes sagen?
case-reopen = Genåbn sagen
case-assignee = Sagsbehandler
case-assign = Fordel
case-add-note = Tilføj note
case-save-note = Gem note
case-choose-action = Vælg, hvad der skal ske med sagen.
case-unknown-assignee = Sagsbehandleren findes ikke eller er ikke aktiv.
event-received = Henvendelse modtaget
event-assigned = Fordelt
event-unassigned = Fordeling fjernet
event-first_contact = Første kontakt
event-stage_changed = Fase skiftet
event-visit_skipped = Besøg sprunget over
event-stepped_back = Flyttet tilbage
event-closed = Lukket
event-reopened = Genåbnet
event-note_added = Note
event-system = Velkomst

## Afvisninger fra sagsforløbet
refusal-case-closed = Sagen er lukket. Genåbn den først.
refusal-already-there = Sagen er allerede i den fase.
refusal-not-forward = Den fase ligger ikke foran den nuværende. Brug "Tilbage til" i stedet.
refusal-skips-a-stage = Kun besøget kan springes over; indflytning og velkomstpakke kan ikke.
refusal-not-back = Den fase ligger ikke bag den nuværende.
refusal-note-required = Skriv en note, der forklarer ændringen.
refusal-not-closed = Kun en lukket sag kan genåbnes.
refusal-welcomed-too-early = En sag lukkes som "budt velkommen" først fra fasen velkomstpakke.
refusal-not-a-stage = Luk sagen med et udfald i stedet.

## Administration
admin-users-title = Brugere
admin-areas-title = Ansvar for lokalområder
admin-areas-lead = Nye henvendelser fordeles til den konsulent, der har ansvaret for det første område, familien har valgt. Ellers går de til den aktive konsulent med færrest åbne sager.
admin-role = Rolle
admin-open-cases = Åbne sager
admin-status = Status
admin-active = Aktiv
admin-inactive = Deaktiveret
admin-no-password = har ikke valgt adgangskode
admin-deactivate = Deaktivér
admin-activate = Genaktivér
admin-add-user = Opret bruger
admin-user-created = Brugeren er oprettet
admin-hand-over-link = Giv brugeren dette engangslink, så de kan vælge en adgangskode. Det virker i { $minutes } minutter.
admin-no-responsible = Ingen ansvarlig
admin-save = Gem
