# Rapporter, kampagner og mål (issue 9)

base-nav-reports = Rapporter
base-nav-campaigns = Kampagner

report-title = Halvårsrapport
report-period = Periode
report-printed = Udskrevet
report-masked-note = Tal fra 1 til { $min } minus 1 vises som „< { $min }“, så ingen enkeltperson kan udpeges.
report-choose-period = Vælg periode
report-halves = Halvår
report-months = Måneder
report-show = Vis
report-free-dates = Selvvalgte datoer
report-from = Fra og med
report-to = Til og med
report-contents = Rapportens indhold
report-no-rows = Ingen sager i perioden.
report-download-csv = Hent som CSV
report-print-hint = Rapporten kan gemmes som PDF fra browserens udskriftsmenu.
report-bad-period = Perioden findes ikke. Vælg et halvår eller en måned.
report-whole-periods-only = Vælg et helt halvår eller en hel måned.
report-bad-dates = Angiv to datoer, hvor den første ligger før den sidste.

report-none-area = Intet område
report-none-campaign = Ingen kampagne
report-none-household = Ukendt
report-none-month = Ukendt
report-none-housing = Ukendt
report-none-timeframe = Ukendt
report-none-moving_from = Ukendt
report-none-area_group = Uden for grupperne

report-household-family_with_children = Familie med børn
report-household-couple = Par
report-household-single = Enlig
report-household-other = Andet

report-origin-municipality = Inden for kommunen
report-origin-region = Fra regionen
report-origin-abroad = Fra udlandet
report-origin-unknown = Andet sted / ukendt

report-received = Modtaget
report-reached-visit = Nåede besøg
report-reached-move-in = Nåede indflytning
report-reached-welcome-package = Nåede velkomstpakke
report-welcomed = Budt velkommen
report-lost = Tabt
report-open = Stadig åbne

report-funnel = Fra henvendelse til velkomst
report-funnel-summary = I perioden kom { $received } henvendelser. { $welcomed } er budt velkommen, og { $open } er stadig åbne.
report-stage = Trin
report-this-period = Denne periode
report-conversion = Videre fra trinnet før
report-previous-period = Forrige periode
report-last-year = Samme periode sidste år

report-timing = Tid i hvert trin
report-timing-summary = { $share } af henvendelserne fik første kontakt inden for svartidsmålet.
report-measure = Mål
report-median-days = Median, dage
report-to-first-contact = Til første kontakt
report-days-in = I { $stage }
report-within-goal = Besvaret inden for { $days } arbejdsdage

report-by-area = Lokalområde
report-by-area-group = Områdegruppe
report-by-campaign = Kampagne
report-by-household = Husstand
report-by-housing = Boligønske
report-by-timeframe = Tidshorisont
report-by-moving-from = Flytter fra
report-by-month = Måned
report-title-by-area = Fordelt på lokalområde
report-title-by-area-group = Fordelt på områdegruppe
report-title-by-campaign = Fordelt på kampagne
report-title-by-household = Fordelt på husstand
report-title-by-housing = Fordelt på boligønske
report-title-by-timeframe = Fordelt på tidshorisont
report-title-by-moving-from = Fordelt på hvor de flytter fra
report-title-by-month = Fordelt på måned
report-total = I alt
report-by-summary = Flest henvendelser kom under { $key }: { $received }.
report-by-summary-empty = Ingen henvendelser i perioden.

report-losses = Hvorfor sager tabes
report-losses-summary = { $lost } sager blev lukket uden velkomst.
report-kind = Slags
report-what = Hvad
report-cases = Sager
report-outcome = Udfald
report-reason = Årsag
report-no-reason = Ingen årsag angivet
report-chose-instead = Valgte i stedet

report-ambassadors = Ambassadører og velkomstpakker
report-ambassadors-summary = { $offered } henvisninger til ambassadører og { $delivered } leverede velkomstpakker i perioden.
report-area = Område
report-offered = Henvist
report-accepted = Accepteret
report-met = Mødt
report-delivered = Pakker leveret
report-overdue = Pakker forsinket

report-campaigns = Kampagnernes effekt
report-campaigns-summary = { $campaigns } kampagner; { $inquiries } henvendelser kom gennem en kampagne.
report-campaign = Kampagne
report-campaign-unregistered = Ikke registreret
report-slug = Kode
report-visits = Besøg på linket
report-inquiries = Henvendelser
report-moved-in = Flyttet ind
report-budget = Budget
report-cost-per-moved-in = Pris pr. tilflyttet husstand

report-targets = Mål og fremdrift
report-targets-summary = { $count } mål; { $behind } er bagud.
report-target = Mål
report-year = År
report-so-far = Indtil nu
report-goal = Årets mål
report-baseline = Udgangspunkt (år)
report-verdict = Status
report-verdict-on_track = På sporet
report-verdict-behind = Bagud

close-reason-housing = Bolig
close-reason-job = Job
close-reason-schools = Skoler og dagtilbud
close-reason-transport = Transport
close-reason-price = Pris
close-reason-personal = Personlige forhold
close-reason-other = Andet
case-close-reason = Årsag (valgfri)
case-close-reason-hint = Hvorfor de ikke flyttede hertil, til rapporterne.
case-close-reason-none = Ingen årsag
case-chose-instead = Valgte i stedet (valgfri)
case-chose-instead-hint = En by eller kommune, aldrig en persons navn.

error-reason-invalid = Ukendt årsag.
error-reason-only-with-close = En årsag gives kun ved lukning.
error-slug-invalid = Brug 1–40 små bogstaver a–z, tal og bindestreg.
error-area-invalid = Ukendt lokalområde.
error-date-invalid = Skriv datoen som ÅÅÅÅ-MM-DD.
error-ends-before-start = Slutdatoen ligger før startdatoen.
error-budget-invalid = Skriv budgettet i hele kroner.

campaigns-title = Kampagner
campaigns-lead = Registrér kampagner, så rapporten kan vise besøg, henvendelser og tilflyttere for hver. Linket og QR-koden tæller besøg uden at gemme noget om den besøgende.
campaigns-saved = Kampagnen er gemt:
campaigns-name = Navn
campaigns-channel = Kanal
campaigns-period = Periode
campaigns-link = Sporet link
campaigns-qr = QR-kode
campaigns-qr-download = Hent QR-kode (SVG)
campaigns-none = Ingen kampagner endnu.
campaigns-form = Ny kampagne eller ret en eksisterende
campaigns-slug = Kode
campaigns-slug-hint = Bruges i linket /c/kode. Samme kode retter kampagnen.
campaigns-target-areas = Udvalgte lokalområder
campaigns-target-group = Målgruppe
campaigns-starts = Start
campaigns-ends = Slut
campaigns-budget = Budget (kr.)
campaigns-budget-hint = Valgfrit; giver prisen pr. tilflyttet husstand.
campaigns-notes = Noter
campaigns-save = Gem kampagne
channel-digital = Digital
channel-print = Tryk
channel-event = Arrangement
channel-handbaaret = Håndbåret
report-surveys-link = Velkomstundersøgelsen og et år efter (egen side)
