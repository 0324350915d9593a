# Reports, campaigns and targets (issue 9)

base-nav-reports = Reports
base-nav-campaigns = Campaigns

report-title = Half-year report
report-period = Period
report-printed = Printed
report-masked-note = Counts from 1 to { $min } minus 1 are shown as "< { $min }" so that no one can be singled out.
report-choose-period = Choose a period
report-halves = Half-years
report-months = Months
report-show = Show
report-free-dates = Dates of your choice
report-from = From
report-to = To (included)
report-contents = Contents of the report
report-no-rows = No cases in the period.
report-download-csv = Download as CSV
report-print-hint = Save the report as PDF from the browser's print menu.
report-bad-period = No such period. Choose a half-year or a month.
report-whole-periods-only = Choose a whole half-year or month.
report-bad-dates = Give two dates, the first before the last.

report-none-area = No area
report-none-campaign = No campaign
report-none-household = Unknown
report-none-month = Unknown
report-none-housing = Unknown
report-none-timeframe = Unknown
report-none-moving_from = Unknown
report-none-area_group = Outside the groups

report-household-family_with_children = Family with children
report-household-couple = Couple
report-household-single = Single
report-household-other = Other

report-origin-municipality = Within the municipality
report-origin-region = From the region
report-origin-abroad = From abroad
report-origin-unknown = Elsewhere / unknown

report-received = Received
report-reached-visit = Reached visit
report-reached-move-in = Reached move-in
report-reached-welcome-package = Reached welcome package
report-welcomed = Welcomed
report-lost = Lost
report-open = Still open

report-funnel = From inquiry to welcome
report-funnel-summary = { $received } inquiries came in the period. { $welcomed } have been welcomed and { $open } are still open.
report-stage = Stage
report-this-period = This period
report-conversion = On from the stage before
report-previous-period = Previous period
report-last-year = Same period last year

report-timing = Time in each stage
report-timing-summary = { $share } of the inquiries had a first contact within the response-time goal.
report-measure = Measure
report-median-days = Median, days
report-to-first-contact = To first contact
report-days-in = In { $stage }
report-within-goal = Answered within { $days } working days

report-by-area = Local area
report-by-area-group = Area group
report-by-campaign = Campaign
report-by-household = Household
report-by-housing = Housing wish
report-by-timeframe = Timeframe
report-by-moving-from = Moving from
report-by-month = Month
report-title-by-area = By local area
report-title-by-area-group = By area group
report-title-by-campaign = By campaign
report-title-by-household = By household
report-title-by-housing = By housing wish
report-title-by-timeframe = By timeframe
report-title-by-moving-from = By where they move from
report-title-by-month = By month
report-total = Total
report-by-summary = Most inquiries came under { $key }: { $received }.
report-by-summary-empty = No inquiries in the period.

report-losses = Why cases are lost
report-losses-summary = { $lost } cases were closed without a welcome.
report-kind = Kind
report-what = What
report-cases = Cases
report-outcome = Outcome
report-reason = Reason
report-no-reason = No reason given
report-chose-instead = Chose instead

report-ambassadors = Ambassadors and welcome packages
report-ambassadors-summary = { $offered } referrals to ambassadors and { $delivered } welcome packages delivered in the period.
report-area = Area
report-offered = Referred
report-accepted = Accepted
report-met = Met
report-delivered = Packages delivered
report-overdue = Packages overdue

report-campaigns = The campaigns' effect
report-campaigns-summary = { $campaigns } campaigns; { $inquiries } inquiries came through a campaign.
report-campaign = Campaign
report-campaign-unregistered = Not registered
report-slug = Code
report-visits = Visits to the link
report-inquiries = Inquiries
report-moved-in = Moved in
report-budget = Budget
report-cost-per-moved-in = Cost per household moved in

report-targets = Targets and progress
report-targets-summary = { $count } targets; { $behind } behind.
report-target = Target
report-year = Year
report-so-far = So far
report-goal = This year's goal
report-baseline = Baseline (year)
report-verdict = Verdict
report-verdict-on_track = On track
report-verdict-behind = Behind

close-reason-housing = Housing
close-reason-job = Job
close-reason-schools = Schools and daycare
close-reason-transport = Transport
close-reason-price = Price
close-reason-personal = Personal reasons
close-reason-other = Other
case-close-reason = Reason (optional)
case-close-reason-hint = Why they did not move here, for the reports.
case-close-reason-none = No reason
case-chose-instead = Chose instead (optional)
case-chose-instead-hint = A town or municipality, never a person's name.

error-reason-invalid = Unknown reason.
error-reason-only-with-close = A reason is given only when closing.
error-slug-invalid = Use 1–40 lowercase letters a–z, digits and hyphens.
error-area-invalid = Unknown local area.
error-date-invalid = Write the date as YYYY-MM-DD.
error-ends-before-start = The end date is before the start date.
error-budget-invalid = Write the budget in whole kroner.

campaigns-title = Campaigns
campaigns-lead = Register campaigns so that the report can show visits, inquiries and newcomers for each. The link and the QR code count visits without storing anything about the visitor.
campaigns-saved = The campaign is saved:
campaigns-name = Name
campaigns-channel = Channel
campaigns-period = Period
campaigns-link = Tracked link
campaigns-qr = QR code
campaigns-qr-download = Download the QR code (SVG)
campaigns-none = No campaigns yet.
campaigns-form = A new campaign, or change one
campaigns-slug = Code
campaigns-slug-hint = Used in the link /c/code. The same code changes the campaign.
campaigns-target-areas = Selected local areas
campaigns-target-group = Target group
campaigns-starts = Start
campaigns-ends = End
campaigns-budget = Budget (DKK)
campaigns-budget-hint = Optional; gives the cost per household moved in.
campaigns-notes = Notes
campaigns-save = Save campaign
channel-digital = Digital
channel-print = Print
channel-event = Event
channel-handbaaret = Hand-carried
report-surveys-link = The welcome survey and one year on (own page)
