"""Sentence banks for learning points: findings, missed opportunities, good practice.

Written for this project in the register of Welsh practice reviews (never copied
from a report). Slots: [sub] subject, [subs] subject's, [pro]/[pos]/[obj]
pronouns, [carer]/[carer2] adults around the subject, [role]/[role2]
practitioners, [agency], [hb], [police], [la], [services].
"""

# ruff: noqa: E501  (sentence banks: one sentence per line reads and diffs better)

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    audience: str  # "child" | "adult" | "any"
    titles: tuple[str, ...]
    findings: tuple[str, ...]
    missed: tuple[str, ...]
    recs: tuple[str, ...]  # clauses that follow "<agencies> should"


THEMES: tuple[Theme, ...] = (
    Theme("professional_curiosity", "any",
          ("Professional curiosity", "Professional curiosity and respectful uncertainty",
           "Looking beyond the presenting concern"),
          ("Practitioners {too readily|often|at times} accepted [carer]'s account {at face value|without question|without seeking corroboration}.",
           "The review found {limited|little} evidence of professional curiosity about who else was living in the household.",
           "{Explanations|Accounts} given for [subs] injuries and absences were {not tested|rarely challenged} against what other agencies knew.",
           "The [role] {noticed|recorded} that the home was {cluttered|cold|sparsely furnished}, but this was not explored further.",
           "Respectful uncertainty requires practitioners to {hold open|keep in mind} the possibility that things are not as they are presented.",
           "{Curiosity|Professional curiosity} is more than asking questions; it means {weighing|testing} the answers against the wider history.",
           "Several practitioners described a {sense|feeling} that something was not right, but did not {act on|record} it."),
          ("There was a missed opportunity to ask who the adult male seen at the address was.",
           "An {unexplained|unusual} bruise noted by the [role] was not followed up with a body map or a referral.",
           "The {change|deterioration} in [subs] presentation was not {explored|questioned} with [carer]."),
          ("ensure that training on professional curiosity and respectful uncertainty is {mandatory|embedded} for all frontline staff",
           "seek assurance that supervision {routinely|actively} prompts practitioners to test the accounts given by parents and carers",
           "develop practice guidance on exploring household composition, including {unknown|unseen} adults")),
    Theme("voice", "any",
          ("The voice of the {child|person}", "Hearing [subs] voice", "The lived experience of [sub]"),
          ("[Subs] {voice|own view} was {largely absent|rarely recorded|not consistently captured} in agency records.",
           "{Few|Very few} practitioners {saw|spoke with} [sub] alone during the period under review.",
           "Where [sub] did speak, {what was said|the disclosure} was not {recorded verbatim|given sufficient weight}.",
           "The review heard that [sub] was {quiet|withdrawn|watchful} in school, which may have been [pos] way of {communicating|showing} distress.",
           "Records focused on the adults' needs, and the day-to-day {lived experience|reality} of [sub] was {not|seldom} described.",
           "Seeing [sub] alone should be the {expectation|norm} rather than the exception."),
          ("[Sub] was not seen alone at the home visit that followed the {referral|police report}.",
           "A {request|wish} expressed by [sub] to a [role] was not passed on to [services]."),
          ("ensure that assessments record the {voice|wishes and feelings} of the {child|person} and how these informed decisions",
           "audit case files to confirm that children are seen and spoken to alone where {safe|appropriate} to do so")),
    Theme("escalation", "any",
          ("Escalation of concerns", "Risk and escalation", "Professional challenge and escalation"),
          ("Practitioners {did not use|were unaware of} the regional escalation (resolution of professional differences) protocol.",
           "When the referral did not {meet the threshold|lead to a strategy discussion}, the referrer {did not challenge|accepted} the decision.",
           "{Concerns|Worries} were {shared|discussed} between practitioners but not escalated to managers who could act.",
           "The review found a culture in which challenging another agency's decision was seen as {confrontational|difficult}.",
           "Risk was assessed {event by event|episode by episode} rather than cumulatively.",
           "The cumulative {impact|weight} of repeated low-level concerns was not recognised."),
          ("There was a missed opportunity to escalate when a {second|third} referral was closed without assessment.",
           "The [role] did not escalate {when|after} a strategy discussion was declined."),
          ("{review|refresh} the escalation protocol and ensure that it is {understood|used} by practitioners in all agencies",
           "ensure that managers {support|encourage} practitioners to challenge threshold decisions and that challenge is recorded")),
    Theme("information_sharing", "any",
          ("Information sharing", "Multi-agency information sharing", "Communication between agencies"),
          ("Information held by [hb] was not shared with [services] {in a timely way|before the strategy discussion}.",
           "Each agency held {part of the picture|a piece of the jigsaw}, but no single agency had the whole picture.",
           "Practitioners were {uncertain|unclear} about what could be shared without consent.",
           "{Police|Public protection} notifications were received by [services] but {not|only partly} shared with the school.",
           "Different electronic record systems in health did not {communicate|link}, so the GP was unaware of emergency department attendances.",
           "Key information was {lost|diluted} when the case was transferred between teams."),
          ("The {GP|school nurse} was not invited to the strategy discussion and could not contribute what was known.",
           "A {PPN|police public protection notification} was not shared with the health visitor."),
          ("ensure that practitioners understand that information can be shared without consent to safeguard a {child|person} at risk",
           "improve the sharing of emergency department attendances with GPs and health visitors",
           "ensure that all relevant agencies are invited to {and attend|} strategy discussions")),
    Theme("was_not_brought", "child",
          ("Missed health appointments: 'was not brought'", "Was not brought", "Disengagement from health services"),
          ("[Sub] was not brought to {several|four|five} health appointments, including {developmental reviews|dental care|paediatric follow-up}.",
           "Missed appointments were recorded as 'did not attend', which {places the responsibility|implies a choice} on the child.",
           "The 'was not brought' policy was {not followed|applied inconsistently} across health services.",
           "Each missed appointment was {treated in isolation|seen separately}, and the pattern of non-engagement was not identified.",
           "Discharging a child for non-attendance removed a {protective|key} source of oversight."),
          ("[Sub] was discharged from the {paediatric|speech and language therapy} service after two missed appointments without the GP or health visitor being told.",),
          ("ensure that the 'was not brought' policy is applied consistently and audited across {all|its} services",
           "ensure that no child is discharged for non-attendance without a safeguarding review of the case")),
    Theme("whole_family", "any",
          ("A whole-family approach", "Thinking family", "Fathers and male carers"),
          ("Agencies worked with individual family members rather than {the family as a whole|the whole family}.",
           "[Carer2] was {largely invisible|rarely seen} to practitioners, despite being a {significant|regular} presence in the home.",
           "Adult services working with [carer] did not {consider|ask about} the impact of [pos] needs on the children.",
           "The {needs|history} of older siblings was not {linked|connected} to the risks to [sub].",
           "A {Think Family|whole-family} approach would have brought together the separate concerns held by adult and children's services."),
          ("[Carer2] was not included in the assessment, and {his|their} history was not checked.",),
          ("ensure that assessments {include|actively seek out} fathers and male carers",
           "embed a whole-family approach across adult and children's services")),
    Theme("domestic_abuse", "any",
          ("Domestic abuse", "Domestic abuse and coercive control", "The impact of domestic abuse"),
          ("There were {several|repeated} police call-outs to the address for verbal arguments, each assessed as standard risk.",
           "The DASH risk assessment was {not completed|completed without the victim present} on {one|more than one} occasion.",
           "The {coercive and controlling|controlling} nature of the relationship was not {recognised|understood} by practitioners.",
           "[Carer] {minimised|denied} the abuse, which practitioners {accepted|took as reassurance}.",
           "Children living with domestic abuse are victims in their own right, and this was not {reflected|evident} in the response.",
           "Referral to MARAC was {not made|delayed} despite the {escalating|increasing} frequency of incidents."),
          ("A referral to the IDVA service was not {made|followed up} after the third incident.",
           "The Domestic Violence Disclosure Scheme was not considered."),
          ("ensure that the DASH risk assessment is completed for every domestic abuse incident and reviewed when incidents {recur|escalate}",
           "provide training on coercive control and its impact on children {and adults|}",
           "review the MARAC referral pathway so that repeat incidents trigger a referral")),
    Theme("neglect", "child",
          ("Recognising neglect", "Neglect and poor home conditions", "Cumulative neglect"),
          ("Concerns about {poor home conditions|hygiene|[subs] weight} were {raised|noted} by several agencies over many months.",
           "Neglect was {not named|not recognised} as such, and practitioners described the family as {struggling|chaotic}.",
           "There was no {use|consistent use} of a neglect assessment tool to measure change over time.",
           "Brief improvements were {taken as|accepted as} evidence of sustained change.",
           "The {start again syndrome|pattern of new starts} meant that each new practitioner began afresh without the history."),
          ("A home visit found {no food in the house|an unsafe sleeping arrangement}, but no referral followed.",),
          ("ensure that a validated neglect assessment tool is used {consistently|routinely} across agencies",
           "ensure that chronologies are used to identify cumulative neglect")),
    Theme("mental_health", "any",
          ("Parental mental health", "Mental health", "Mental health and risk"),
          ("[Carer] had a long history of {depression|anxiety|low mood}, managed {mainly|largely} through the GP.",
           "Mental health assessments focused on the adult and did not {consider|ask about} caring responsibilities.",
           "The {link|connection} between [carer]'s mental health and [pos] capacity to {parent|care} was not explored.",
           "Referrals to secondary mental health services were {declined|closed} because [carer] did not {engage|attend}.",
           "The Mental Health (Wales) Measure 2010 assessment did not {include|record} a risk to others."),
          ("[Carer] disclosed {suicidal thoughts|thoughts of self-harm} to the GP, but no safeguarding enquiry followed.",),
          ("ensure that adult mental health assessments ask about {dependent children|caring responsibilities} and consider their safety",
           "strengthen the interface between primary care and community mental health teams")),
    Theme("substance_misuse", "any",
          ("Substance misuse", "Parental substance misuse", "Alcohol and drug use"),
          ("[Carer]'s {cannabis|alcohol|amphetamine} use was {known to agencies but|disclosed but} {minimised|not assessed}.",
           "The substance misuse service was not {aware|told} that [carer] had {children|caring responsibilities} at home.",
           "Self-reported reductions in {drinking|drug use} were accepted without {testing|corroboration}.",
           "The combined effect of substance misuse, mental health and domestic abuse was not {considered|recognised}."),
          ("A positive drug screen was not shared with [services].",),
          ("ensure that substance misuse services routinely ask about children and refer where there are {concerns|risks}",)),
    Theme("coordination", "any",
          ("Coordination of safeguarding responsibility", "Assessing need and risk",
           "Thresholds and decision making"),
          ("It was unclear which agency held lead responsibility for coordinating {support|the plan}.",
           "Strategy discussions were held by telephone and did not {include|involve} all agencies with relevant information.",
           "The care and support plan {lacked|did not have} clear outcomes or timescales.",
           "Cases were {stepped down|closed} without a multi-agency discussion of the remaining risks.",
           "Thresholds were applied {inconsistently|differently} by the {front door|IAA} service and partner agencies."),
          ("The case was closed to [services] the week before the incident without consultation with partner agencies.",),
          ("ensure that step-down and case closure decisions are {shared with|agreed by} partner agencies",
           "ensure that strategy discussions include health, education and police as a minimum")),
    Theme("workforce", "any",
          ("Workforce and capacity", "Supervision and staff support", "The impact of Covid-19"),
          ("Practitioners described {high caseloads|staff shortages|frequent changes of worker} during the period under review.",
           "[Sub] had {four|five|several} different social workers in {twelve|eighteen} months.",
           "Supervision was {irregular|focused on case management} and did not offer space for reflection.",
           "Covid-19 restrictions meant that {contact|visits} moved to telephone and video, limiting what practitioners could see."),
          ("A planned home visit was {cancelled|postponed} because of sickness and not rearranged.",),
          ("ensure that reflective safeguarding supervision is available to all frontline practitioners",
           "report to the Board on workforce stability and its impact on safeguarding practice")),
    Theme("self_neglect", "adult",
          ("Self-neglect", "Self-neglect and hoarding", "Capacity and self-determination"),
          ("[Sub] {declined|refused} support on many occasions, and this was {respected|accepted} without exploring the reasons.",
           "Mental capacity was {assumed|not formally assessed} despite {fluctuating|changing} presentation.",
           "The balance between {self-determination|autonomy} and a duty of care was not {discussed|reviewed} by a multi-agency meeting.",
           "Hoarding and {poor hygiene|the state of the property} were noted by several visitors."),
          ("A Mental Capacity Act assessment was not completed before the care package was withdrawn.",),
          ("ensure that practitioners are confident in using the Mental Capacity Act 2005 where a person declines support",
           "develop a multi-agency self-neglect protocol with a clear escalation route")),
    Theme("carers", "adult",
          ("Carers and the family", "Support for carers", "Hospital discharge"),
          ("[Carer], who cared for [sub], was not offered a carer's assessment.",
           "The discharge from hospital took place {late on a Friday|without a discharge meeting} and the care package was not in place.",
           "Family members raised {concerns|worries} that were not {recorded|acted upon}.",
           "The strain on [carer] was visible but not {assessed|explored}."),
          ("[Carer] asked for respite on two occasions; no assessment followed.",),
          ("ensure that carers are offered an assessment of their own needs",
           "ensure that safe discharge planning includes community services and family carers")),
)

# Effective practice: the best-practice vocabulary (commended, timely, persistent...).
GOOD_PRACTICE: tuple[str, ...] = (
    "Good practice was seen when the [role] {made|completed} a {timely|prompt} referral to [services].",
    "Good practice was seen when the [role] {persisted|kept on trying} to engage [carer] despite {repeated|several} cancelled visits.",
    "The {persistent|consistent} efforts of the [role] to see [sub] are commended.",
    "The [role] {showed|demonstrated} {thoughtful|thorough|responsive} practice and is commended for {it|this}.",
    "The school's designated safeguarding lead {kept detailed records|maintained detailed records}, which were of great value to the review.",
    "There was {effective|good} multi-agency working {at|during} the strategy discussion, which was {well attended|timely}.",
    "{Timely|Prompt} information sharing between [police] and [services] meant that [sub] was seen the same day.",
    "The [role] built a {good|trusting} relationship with [carer] and maintained involvement over many months.",
    "The reviewer commends the [role], whose {detailed reports|clear records} gave the learning event {a clear picture|an accurate chronology}.",
    "{Effective|Good} communication between the [role] and the [role2] was evident throughout.",
    "{Multiple attempts|Several attempts} were made to contact [carer], which reflects {expected|good} practice.",
    "Consistent care and support was offered by the [role], who was mindful of [subs] {needs|wishes}.",
    "The {response|good response} of [agency] was {timely|proportionate} and in line with procedures.",
    "Positive practice was evident in the {co-operation|cooperation} between [hb] and [la].",
)

# What reviewers say would have been good practice.
SUGGESTED: tuple[str, ...] = (
    "It would have been good practice to hold a multi-agency meeting {at this point|once the pattern was clear}.",
    "Best practice would have been to see [sub] alone and record [pos] views.",
    "Expected practice would have been a referral to [services] within 24 hours.",
    "A chronology shared between agencies would have {highlighted|made visible} the pattern of concerns.",
    "The risks may have been underestimated because each agency saw only {part|a fraction} of the picture.",
)

FINDING_OPENERS: tuple[str, ...] = (
    "The learning event {highlighted|identified|explored} {this|this theme} in some detail.",
    "Practitioners {reflected on|spoke openly about} {this|the challenges involved} at the learning event.",
    "{This|This theme} has been identified in {previous|earlier} reviews in the region.",
    "The Welsh thematic analysis of child practice reviews noted the same {pattern|issue}.",
    "Agency reports {described|showed} a similar picture.",
)


def themes_for(audience: str) -> tuple[Theme, ...]:
    return tuple(t for t in THEMES if t.audience in (audience, "any"))


def theme_by_key(key: str) -> Theme:
    for theme in THEMES:
        if theme.key == key:
            return theme
    raise KeyError(key)
