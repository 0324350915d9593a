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
error-page-conflict = Handlingen passer ikke til sagens tilstand lige nu. Genindlæs siden og se, hvor sagen står.
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
field-children-hint = Tilføj et fødselsår for hvert barn under 18 år ({ $min }–{ $max }). Har I ingen børn, så spring feltet over.
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
receipt-next = En bosætningskonsulent fra { $municipality } kontakter dig inden for { $days ->
        [1] én hverdag
        [2] to hverdage
        [3] tre hverdage
       *[other] { $days } hverdage
    }. Du får også en kvittering på e-mail.
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
queue-campaign = Kampagne
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
queue-bad-unknown = Filteret kendes ikke, så alle åbne sager vises:
queue-bad-campaign = Kampagnen skal skrives med små bogstaver, tal, - og _; alle åbne sager vises.
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
case-timeline-filter = Vis i tidslinjen
case-timeline-all = Alt
case-timeline-people = Personers handlinger
case-timeline-emails = E-mails
case-timeline-system = Automatiske trin
case-timeline-newest-first = Nyeste først.
case-actions = Handlinger
case-move = Flyt sagen
case-move-to = Videre til
case-step-back-to = Tilbage til
case-skip-visit = spring besøget over
case-close = Luk sagen
case-outcome = Udfald (kun når sagen lukkes)
case-outcome-choose = Vælg udfald
case-choose-outcome = Vælg et udfald for at lukke sagen.
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

## E-mails og opfølgning
case-mail-problem = En e-mail til borgeren kunne ikke afleveres. Se listen over e-mails nedenfor, og kontakt borgeren på anden vis.
case-emails = E-mails
case-no-emails = Ingen e-mails endnu.
case-scheduled = Planlagt opfølgning
case-info-pack = Informationspakke
case-info-pack-note = Personlig hilsen (valgfri)
case-info-pack-hint = Pakken tilpasses husstanden: børn, job, byggegrund og de valgte områder. Afsendelsen tæller som første kontakt.
case-info-pack-send = Send informationspakke
case-visit-plan = Planlæg besøg
case-visit-planned = Besøg planlagt
case-visit-date = Dato
case-visit-time = Klokkeslæt
case-visit-minutes = Varighed i minutter
case-visit-place = Mødested
case-visit-note = Note til borgeren (valgfri)
case-visit-send = Send invitation
case-visit-change = Send ændring
case-visit-cancel = Aflys besøget
case-move-in = Indflytning
case-move-in-date = Indflytningsdato
case-move-in-area = Lokalområde
case-move-in-area-hint = Området står i velkomstmailen. Familiens egne ønsker er markeret.
case-move-in-area-choose = Vælg lokalområde
case-move-in-area-wished = familiens ønske
error-move-in-area-required = Vælg det lokalområde, familien flytter til.
case-move-in-save = Registrér indflytning og send velkomst
case-package = Velkomstpakke
case-package-delivery = Hvordan når pakken frem?
case-package-delivered = Den bringes ud
case-package-collect = Den afhentes
case-package-details = Detaljer til borgeren (valgfri)
case-package-ready = Pakken er klar — giv besked
case-write-email = Skriv e-mail til borgeren
error-visit-date = Angiv en gyldig dato.
error-visit-time = Angiv et klokkeslæt som tt:mm.
error-visit-minutes = Varigheden skal være 15–480 minutter.
error-visit-place = Angiv et mødested (højst 200 tegn).
error-visit-note = Noten må højst være 2000 tegn.
error-visit-past = Besøget kan ikke ligge i fortiden.
error-move-in-date = Angiv en gyldig indflytningsdato.
error-visit-date-range = Besøget skal ligge inden for de næste 5 år.
error-move-in-date-range = Indflytningsdatoen skal ligge mellem et år tilbage og 5 år frem.
refusal-visit-not-now = Et besøg planlægges, mens sagen er i fasen information eller besøg.
refusal-move-in-not-now = Indflytning registreres fra fasen information, besøg eller indflytning.
event-email_queued = E-mail i kø
event-email_sent = E-mail sendt
event-email_failed = E-mail fejlede, prøves igen
event-email_dead = E-mail kunne ikke afleveres
event-visit_planned = Besøg planlagt
event-visit_changed = Besøg ændret
event-visit_cancelled = Besøg aflyst
event-move_in_recorded = Indflytning registreret
event-followup_scheduled = Opfølgning planlagt
event-followup_cancelled = Opfølgning annulleret
followup-visit_offer = Tilbud om besøg
followup-visit_reminder = Påmindelse om besøget
followup-visit_thanks = Tak for besøget
email-receipt = Kvittering
email-consultant_notice = Besked til konsulent
email-information_pack = Informationspakke
email-visit_invitation = Invitation til besøg
email-visit_update = Ændret besøg
email-visit_cancelled = Aflyst besøg
email-visit_reminder = Påmindelse om besøg
email-visit_thanks = Tak for besøget
email-welcome = Velkommen
email-welcome_package = Velkomstpakke
email-followup_visit_offer = Tilbud om besøg
email-digest = Daglig oversigt
email-custom = E-mail fra konsulent
compose-title = Skriv e-mail
compose-back = ← Tilbage til sagen
compose-to = Til
compose-hint = Borgerens svar går til dig. E-mailen sendes på borgerens sprog med kommunens faste sidehoved og -fod.
compose-subject = Emne
compose-body = Besked
compose-preview = Sådan ser borgeren den
compose-preview-button = Vis
compose-send = Send
outbox-title = Udbakke
outbox-status-pending = Venter
outbox-status-sending = Sendes
outbox-status-sent = Sendt
outbox-status-dead = Kunne ikke afleveres
outbox-empty = Ingen e-mails her.
outbox-col-created = Oprettet
outbox-col-case = Sag
outbox-col-template = Skabelon
outbox-col-recipient = Modtager
outbox-col-attempts = Forsøg
outbox-col-sent = Sendt
outbox-col-next = Næste forsøg
outbox-col-error = Fejl
outbox-retry = Prøv igen
templates-title = E-mailskabeloner
templates-lead = Hver skabelon vist med eksempeldata, før den bruges.
templates-language = Sprog
templates-show = Vis
templates-subject = Emne
templates-text = Tekstudgave
templates-html = HTML-udgave (kilde)
queue-mail-problem = E-mail fejlet

templates-open-html = Åbn HTML-udgaven som side

## Ambassadører og henvisninger
base-nav-ambassadors = Ambassadører
base-nav-packages = Velkomstpakker
base-nav-my-referrals = Mine henvisninger
amb-title = Lokale ambassadører
amb-new = Registrér ambassadør
amb-form-title = Ambassadør
amb-back = ← Tilbage til ambassadørerne
amb-none = Ingen ambassadører matcher.
amb-organisation = Organisation
amb-kind = Type
amb-kind-local_council = Lokalråd
amb-kind-association = Forening
amb-kind-business = Virksomhed
amb-kind-private = Privatperson
amb-areas = Lokalområder
amb-interests = Kan hjælpe med
amb-interest = Interesse
amb-all-interests = Alle interesser
amb-open = Åbne henvisninger
amb-past = Tidligere henvisninger
amb-paused = På pause
amb-pause = Sæt på pause (foreslås ikke til nye henvisninger)
ref-title = Henvisning til lokal ambassadør
ref-state-offered = Tilbudt
ref-state-accepted = Accepteret
ref-state-declined = Afslået
ref-state-contacted = Kontaktet
ref-state-met = Mødtes
ref-state-closed = Afsluttet
ref-state-withdrawn = Trukket tilbage
ref-no-answer = intet svar endnu
ref-withdraw = Træk tilbage
ref-no-consent = Borgeren har ikke givet samtykke til kontakt fra en lokal ambassadør, så sagen kan ikke henvises.
ref-no-ambassadors = Der er ingen aktive ambassadører at henvise til.
ref-held-open = Sagen er henvist og afventer ambassadøren. Træk henvisningen tilbage for at henvise til en anden.
ref-suggested = Foreslåede ambassadører (bedst match først)
ref-open-count = { $n } åbne
ref-message = Besked til ambassadøren
ref-send = Send henvisning
ref-children-ages = Børnenes alder
ref-consultant = Konsulent
ref-contact-after-accept = Kontaktoplysninger vises, når du har accepteret.
ref-accept = Acceptér
ref-decline = Afslå
ref-decline-reason = Hvorfor afslår du? (kræves)
ref-contacted = Jeg har kontaktet familien
ref-met = Vi har mødtes
ref-report = Kort beretning
ref-report-hint = Fx viste dem rundt, inviterede dem til en forening.
ref-close = Afslut henvisningen
refusal-refer-no-consent = Borgeren har ikke givet samtykke til kontakt fra en lokal ambassadør.
refusal-refer-case-closed = Sagen er lukket.
refusal-refer-no-such-ambassador = Vælg en aktiv ambassadør.
refusal-refer-already = Ambassadøren har allerede en åben henvisning for sagen.
refusal-package-not-now = Velkomstpakken forberedes i fasen indflytning og leveres, når den er forberedt.
refusal-package-no-area = Sagen har intet lokalområde at tage pakken fra. Registrér indflytningen med et område.
refusal-package-no-ambassador = Vælg en aktiv ambassadør til at aflevere pakken.
error-referral-not-now = Henvisningen kan ikke ændres sådan nu.
error-referral-reason-required = Skriv en kort begrundelse.
error-referral-report-required = Skriv en kort beretning.
event-referral_offered = Henvist til ambassadør
event-referral_accepted = Ambassadøren accepterede
event-referral_declined = Ambassadøren afslog
event-referral_contacted = Ambassadøren har kontaktet familien
event-referral_met = Ambassadøren har mødt familien
event-referral_closed = Henvisningen er afsluttet
event-referral_withdrawn = Henvisningen er trukket tilbage
event-referral_reminded = Påmindelse sendt til ambassadøren
event-referral_flagged = Intet svar fra ambassadøren
event-package_prepared = Velkomstpakke forberedt
event-package_delivered = Velkomstpakke afleveret
email-referral_offer = Henvisning til ambassadør
email-referral_reminder = Påmindelse til ambassadør
email-referral_accepted = Ambassadør har accepteret
pkg-title = Velkomstpakker
pkg-lead = Hvad pakken indeholder i hvert lokalområde, og hvem der normalt afleverer den.
pkg-items = Indhold (én ting pr. linje)
pkg-deliverer = Afleveres normalt af
pkg-overdue = Pakker, der er forberedt, men ikke afleveret
pkg-overdue-badge = Ikke afleveret
pkg-method-ambassador = Afleveres af en ambassadør
pkg-method-local_council = Afleveres af lokalrådet
pkg-method-collected = Afhentes
pkg-ambassador = Ambassadør
pkg-prepared = forberedt
pkg-delivered = afleveret
pkg-record-delivered = Registrér at pakken er afleveret
signin-title = Log ind som ambassadør
signin-lead = Linket virker én gang. Tryk for at logge ind og se henvisningen.
my-title = Mine henvisninger
my-none = Du har ingen henvisninger endnu.
my-back = ← Mine henvisninger
my-password = Vælg en adgangskode (valgfrit)
my-password-lead = Du behøver ikke en adgangskode — du kan altid logge ind fra linket i e-mailen. Med en adgangskode kan du også logge ind på /login.
my-password-done = Adgangskoden er gemt.
base-nav-outbox = Udbakke
label-areas = Lokalområder
label-interests = Interesser
label-timeframe = Vil flytte
label-housing = Bolig
label-moving-from = Flytter fra
label-language = Sprog
compose-start-from = Start fra
compose-blank = Tom e-mail
compose-use = Brug
amb-held = Henvisninger
amb-held-none = Ingen henvisninger endnu.

## Indflytterformularen: fejl, der nævner deres felt, børn og tegntæller
# $field (String) feltets navn, fx "Navn"
field-error-required = { $field } skal udfyldes.
# $field (String) feltets navn; $message (String) fejlen
field-error = { $field }: { $message }
error-field-name = Navn
error-field-email = E-mail
error-field-phone = Telefon
error-field-language = Sprog
error-field-moving_from = Hvor I flytter fra
error-field-adults = Antal voksne
error-field-children = Børn
error-field-areas = Lokalområder
error-field-housing = Bolig
error-field-timeframe = Hvornår I vil flytte
error-field-interests = Interesser
error-field-job_help = Hjælp til job
error-field-message = Besked
error-field-ambassador_contact = Kontakt fra ambassadør
error-field-campaign = Kampagnekode
form-required-explained = Felter markeret med * skal udfyldes.
inquiry-add-child = Tilføj barn
# $n (Number) barnets nummer
inquiry-remove-child = Fjern barn { $n }
# $n (String) tallet, sat ind i browseren
char-count-left = Du har { $n } tegn tilbage
char-count-over = Du har { $n } tegn for meget
inquiry-already-sent-heading = Du har allerede sendt en henvendelse
inquiry-already-sent = Vi har modtaget den og kontakter dig. Vil du tilføje noget, så svar på kvitteringsmailen.
# $reference (String) sagsnummeret
inquiry-already-sent-link = Se kvitteringen for { $reference }
receipt-again = Vi havde allerede modtaget din henvendelse, så den er ikke sendt igen.
receipt-summary-heading = Det har du sendt
receipt-summary-adults = Voksne
receipt-summary-children = Børn
receipt-summary-areas = Lokalområder
receipt-summary-housing = Bolig
receipt-summary-timeframe = Hvornår I vil flytte
receipt-summary-interests = Interesser
receipt-summary-job-help = Hjælp til job
receipt-summary-message = Besked
receipt-summary-ambassador = Må en ambassadør kontakte jer
receipt-summary-language = Sprog i vores svar
receipt-summary-none = Ingen valgt
receipt-yes = Ja
receipt-no = Nej
receipt-message-included = Ja, med i henvendelsen
receipt-summary-contact-note = Af hensyn til dine personoplysninger vises navn, e-mail og telefon ikke her.
receipt-next-1 = Du får en kvittering på e-mail med sagsnummeret.
# $municipality (String) kommunens navn; $days (Number) svarfristen i hverdage
receipt-next-2 = En bosætningskonsulent fra { $municipality } kontakter dig inden for { $days ->
        [1] én hverdag
        [2] to hverdage
        [3] tre hverdage
       *[other] { $days } hverdage
    }.
receipt-next-3 = Konsulenten sender information om de lokalområder og emner, I har valgt, og tilbyder gerne et besøg.

## Fejlsider og brugte links
error-page-home-staff = Gå til sagerne
error-page-home-ambassador = Gå til dine henvisninger
# $municipality (String) kommunens navn
error-page-contact = Har du brug for hjælp, så kontakt { $municipality }:
link-used-heading = Linket er brugt eller udløbet
link-used-ambassador = Et login-link virker kun én gang og i en begrænset tid. Har du valgt en adgangskode, kan du logge ind med din e-mail og adgangskoden. Ellers får du et nyt link, når konsulenten henviser en ny familie til dig, eller du kan bede konsulenten om et.

## Besked efter en handling på sagen (læses op af skærmlæsere)
flash-contact = Første kontakt er registreret.
flash-moved = Sagen er flyttet.
flash-email = E-mailen er lagt i kø til afsendelse.
flash-info-pack = Informationspakken er lagt i kø til afsendelse.
flash-visit = Besøget er gemt, og invitationen er lagt i kø til afsendelse.
flash-visit-cancelled = Besøget er aflyst, og borgeren får besked.
flash-move-in = Indflytningen er registreret, og velkomstmailen er lagt i kø.
flash-package = Velkomstpakken er klar, og borgeren får besked.
flash-package-delivered = Velkomstpakken er registreret som afleveret.
flash-referral = Henvisningen er sendt til ambassadøren.
flash-withdrawn = Henvisningen er trukket tilbage.
flash-assigned = Sagsbehandleren er gemt.
flash-note = Noten er gemt.
# $stage (String) fasens navn
flash-stage-now = Sagen er derfor nu i fasen { $stage }.

## Bekræftelse før handlinger, der ikke kan gøres om
confirm-no = Nej, gå tilbage
confirm-cancel-visit-heading = Aflys besøget?
confirm-cancel-visit-question = Borgeren får straks en e-mail om, at besøget er aflyst. Det kan ikke gøres om.
# $name (String) ambassadørens navn
confirm-deactivate-heading = Deaktivér { $name }?
confirm-deactivate-question = Ambassadøren logges ud med det samme, og alle login-links holder op med at virke.
confirm-deactivate-referrals = Ambassadørens åbne henvisninger trækkes tilbage til konsulenten.
confirm-deactivate-undo = Du kan genaktivere ambassadøren senere fra listen; tilbagetrukne henvisninger forbliver trukket tilbage.
amb-reactivate = Genaktivér
case-same-email-heading = Mulig dublet
case-same-email = En anden åben sag har samme e-mailadresse. Tjek, om det er samme henvendelse sendt to gange:
