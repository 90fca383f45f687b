"""Sentence banks for the template's other sections (written for this project).

Date slots ([d_index], [d_referral] ...) never open a sentence: the text must
carry each date exactly as spelt, and sentence capitalisation would change
"the 29th of October 2020" into "The 29th ...".
"""

# ruff: noqa: E501  (sentence banks: one sentence per line reads and diffs better)

from __future__ import annotations

LEGAL_CONTEXT: dict[str, tuple[str, ...]] = {
    "CPR_old": (
        "This review was commissioned by the [board] under Protecting Children in Wales: Guidance for Arrangements for Multi-Agency Child Practice Reviews (Welsh Government, 2012).",
    ),
    "CPR": (
        "This Child Practice Review was commissioned by the [board] in accordance with Working Together to Safeguard People: Volume 2 – Child Practice Reviews, issued under Part 7 of the Social Services and Well-being (Wales) Act 2014.",
        "The [board] commissioned this review under the statutory guidance Working Together to Safeguard People (Volume 2), which sets out the arrangements for Child Practice Reviews in Wales.",
    ),
    "APR": (
        "This Adult Practice Review was commissioned by the [board] in accordance with Working Together to Safeguard People: Volume 3 – Adult Practice Reviews, issued under the Social Services and Well-being (Wales) Act 2014.",
    ),
    "DHR": (
        "This Domestic Homicide Review was commissioned by the Community Safety Partnership, working with the [board], under section 9 of the Domestic Violence, Crime and Victims Act 2004.",
    ),
    "MHHR": (
        "This Mental Health Homicide Review was commissioned following a homicide committed by a person who had been in contact with mental health services, and was overseen by the [board].",
    ),
    "SUSR": (
        "This Single Unified Safeguarding Review was commissioned by the [board] under the Single Unified Safeguarding Review statutory guidance, issued under the Social Services and Well-being (Wales) Act 2014.",
    ),
}

CRITERIA: dict[str, str] = {
    "CPR_concise": "The criteria for a concise review were met because [sub] was not on the Child Protection Register and was not a looked after child at any time during the six months before the incident.",
    "CPR_extended": "The criteria for an extended review were met because [sub] was on the Child Protection Register during the six months before the incident.",
    "APR_concise": "The criteria for a concise review were met because [sub] was not subject to adult protection procedures or a protection plan in the six months before the incident.",
    "APR_extended": "The criteria for an extended review were met because [sub] was subject to adult safeguarding procedures at the time of the incident.",
}

INCIDENT: dict[str, tuple[str, ...]] = {
    "child": (
        "[sub] was admitted to hospital with {serious|significant} injuries",
        "[sub] was found {unresponsive|collapsed} at home and later died in hospital",
        "[sub] was found to have suffered a non-accidental head injury",
        "[sub] was taken to the emergency department after {taking an overdose|a serious incident of self-harm}",
    ),
    "adult": (
        "[sub] was found at home in a {critical|serious} condition and later died in hospital",
        "[sub] was admitted to hospital with severe pressure ulcers and malnutrition",
        "[sub] suffered serious harm while living in the community",
    ),
    "DHR": ("[sub] was killed at [pos] home by [perp], [pos] {partner|former partner|husband}",),
    "MHHR": ("[victim] was killed by [sub], who had been in contact with mental health services",),
}

BACKGROUND: tuple[str, ...] = (
    "[Sub] lived with [household] {and two siblings|and an older sibling|} in rented accommodation in the [area] area.",
    "The family had been known to [services] {for several years|intermittently since 2009|since the birth of an older sibling}.",
    "There had been {a number of|several} referrals about the household, none of which led to a {statutory|formal} assessment.",
    "[Carer2] was a frequent visitor to the home, and {his|the} role in the household was not {clear|understood} by agencies.",
    "The family moved house {twice|three times} during the period under review, which disrupted contact with universal services.",
    "Agencies involved included [agency], [agency] and [agency].",
)

PERIOD_REASON = (
    "which is the twelve months before the incident, in line with the guidance",
    "the twelve-month period before the incident",
)
PERIOD_LONG = (
    "The Panel agreed to extend the period to two years because significant events took place before the usual twelve-month window.",
    "A longer period was agreed so that the history of earlier referrals could be understood.",
)

FAMILY: tuple[str, ...] = (
    "The reviewers met with [carer] {at home|at a venue of their choosing} and are grateful for [family] contribution.",
    "[Carer] described feeling {judged|not listened to} by some practitioners, but spoke warmly of the [role].",
    "The family said that they did not always understand why {practitioners|professionals} were involved.",
    "[Carer2] was invited to contribute to the review but {declined|did not respond to letters}.",
    "The family told the reviewers that {they wanted|it was important to them that} the learning from this review made a difference for other families.",
    "The family's perspective has been included in the report with their agreement.",
    "Family members felt that {information they shared was|concerns they raised were} not acted upon.",
)

ACTIONS: tuple[str, ...] = (
    "Since the incident, [agency] has {revised|updated} its safeguarding training to include {professional curiosity|coercive control|the 'was not brought' policy}.",
    "[Agency] has introduced a {daily|weekly} multi-agency meeting to review domestic abuse notifications.",
    "A {seven-minute briefing|learning briefing} has been circulated to practitioners across the region.",
    "[Agency] has {audited|reviewed} its records against the findings of this review.",
    "The Board has {established|agreed} a task and finish group to take the learning forward.",
    "[Agency] has appointed a named safeguarding lead for {primary care|the service}.",
)

STATEMENT: tuple[str, ...] = (
    "The reviewers were not directly involved with [sub] or [family] family, and had no line management responsibility for practitioners involved with the case.",
    "The review was conducted independently, with the support of a panel drawn from agencies in the region.",
    "The reviewers have had access to all agency records relevant to the period under review.",
    "The conclusions reached are the reviewers' own, formed from the records, the learning event and the family's contribution.",
)

TOR_INTRO = "The review panel agreed the following terms of reference and core tasks."
CORE_TASKS: tuple[str, ...] = (
    "Establish whether relevant information or history about [sub] and family members was known to agencies.",
    "Consider whether practitioners recognised and assessed the risks to [sub].",
    "Examine how agencies shared information and worked together during the period under review.",
    "Consider whether the voice of [sub] was heard and acted upon.",
    "Identify any effective practice and the learning that should be shared.",
    "Identify how systems and practice could be improved, and make recommendations.",
    "Take account of the views of family members, where they wish to contribute.",
)

LEARNING_EVENT: tuple[str, ...] = (
    "Practitioners and managers from {all|each of} the agencies involved attended.",
    "The event was {facilitated|led} by the reviewers and gave practitioners space to reflect {openly|honestly} on their involvement.",
    "Practitioners were {well prepared|open and reflective}, and their contribution shaped the learning in this report.",
    "A follow-up session was held for managers to test the emerging findings.",
    "Family members were informed about the review and invited to contribute; their views are set out above.",
)

TIMELINE_EVENTS: dict[str, tuple[str, ...]] = {
    "health": (
        "Health visitor home visit; [sub] seen{| asleep}; home conditions noted as {cluttered|adequate}",
        "[Sub] was not brought to a {paediatric|developmental} appointment",
        "GP consultation; [carer] reported low mood; {antidepressant prescribed|referred to primary care mental health}",
        "Emergency department attendance; {minor head injury|bruising to arm}; explanation accepted",
        "Midwifery booking; domestic abuse routine enquiry {not completed|completed, no disclosure}",
        "District nurse visit; pressure areas checked; [sub] declined further care",
        "Hospital discharge; care package restarted {the same day|two days later}",
        "Community mental health team review; no change to medication",
    ),
    "police": (
        "Police attended report of a verbal argument; DASH completed, assessed as {standard|medium} risk",
        "Public protection notification sent to [services]",
        "[Carer2] arrested for {assault|breach of bail}; released on bail",
        "Welfare check at the address; no concerns recorded",
    ),
    "council": (
        "Referral received by the {IAA|front door} service; no further action",
        "Strategy discussion held; decision to undertake an assessment",
        "Assessment completed; case stepped down to early help",
        "School raised concerns about attendance and [subs] presentation",
        "Case closed to [services]",
        "Adult safeguarding report received; no further action",
        "Care package reviewed; {two|four} calls a day agreed",
    ),
    "national": (
        "Ambulance called to the address; [sub] conveyed to hospital",
        "Ambulance attended; patient declined conveyance",
    ),
    "board": ("Case discussed at the multi-agency panel",),
}

# Words that tie a template to child or adult cases; templates are filtered by audience.
CHILD_ONLY = r"school|nursery|paediatric|health visitor|early help|Midwifery|developmental|Child Protection|class teacher"
ADULT_ONLY = r"care package|District nurse|Adult safeguarding|discharge|pressure areas|Community mental health team review"

REFERRAL = (
    "The case was referred to the Case Review Sub-Group on [d_referral].",
    "The case was referred to the {Case Review Sub-Group|Review Sub-Group} of the [board] on [d_referral].",
)
LEARNING_INTRO = (
    "This section sets out the {main|key} learning {identified by|from} the review.",
    "The learning is {grouped|organised} into themes {agreed|identified} at the learning event.",
)
MISSED_INTRO = "{There was a missed opportunity|A missed opportunity was identified} {at this point|during this period|in the weeks before the incident}."
REC_INTRO = "The reviewers make the following recommendations{,| to the Board,} which are {intended|designed} to improve systems and practice."
TIMELINE_INTRO = "The table below summarises the {key|significant} events during the period under review."

REC_OPENERS: tuple[str, ...] = ("should", "should", "must", "are asked to")
REC_LEVEL_SENTENCE = "This is a {level} recommendation."

# Reflective analysis usable under any learning point, so long reviews vary.
ANALYSIS: tuple[str, ...] = (
    "With hindsight, the {significance|weight} of this {information|episode} is clearer than it could have been at the time.",
    "Practitioners told the review that {workload|time pressure} made it difficult to {step back and consider|reflect on} the wider picture.",
    "The records show {good intentions|a willingness to help}, but {little|limited} analysis of what the information meant for [sub].",
    "This was not the failing of any one practitioner; it reflects how the system {was organised|operated} at the time.",
    "The reviewers {found|noted} that agencies {rarely|seldom} came together to consider the {history|risks} as a whole.",
    "{Several|A number of} agencies held information that, taken together, {pointed to|indicated} increasing risk.",
    "Agency reports {acknowledged|recognised} that their own policies had not always been followed.",
    "Practitioners were {committed|caring}, and many had worked hard to support the family.",
    "The learning event {helped|allowed} practitioners to see how their {separate|individual} contacts fitted together.",
    "Managers {acknowledged|accepted} that oversight of the case had been {limited|inconsistent}.",
    "The {absence|lack} of a shared chronology meant that patterns were {missed|not recognised}.",
    "This theme is {consistent with|similar to} findings in {previous|earlier} reviews in Wales.",
    "Records were {brief|often brief} and did not always {explain|set out} the reasons for decisions.",
    "The pressures on services during this period should not be underestimated.",
    "Agencies have since {reflected on|considered} their practice and some changes are already in place.",
    "It is important that the learning is understood {across the partnership|by all agencies} and not only by those directly involved.",
)

NARRATIVE_FOLLOW: tuple[str, ...] = (
    "The {record|entry} does not show whether [sub] was seen.",
    "No {further action|follow-up} was recorded.",
    "This information was not shared with {other agencies|the GP|the school}.",
    "The [role] {noted|recorded} that [carer] appeared {tired|anxious|guarded}.",
    "A {letter|message} was sent to [carer] {offering|rearranging} an appointment.",
    "The case was discussed in supervision {the following week|shortly afterwards}.",
    "[Carer] {said|reported} that things were {better|settled} at home.",
    "The {school|nursery} had no record of being informed.",
    "{Agencies|Practitioners} did not connect this with {earlier|previous} concerns.",
    "A referral was {considered|discussed} but not made.",
)
