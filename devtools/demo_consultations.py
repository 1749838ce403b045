"""Seeds 001 and 003 rebuilt as consultations: the 38 proposals of "Votre opinion compte ! #1"
pasted from the seed's own text through the coordinators' paste service, grouped into themes,
some answered, the synthesis published with the next session (17 May 2021, 13:30–15:30); the
six themes of expectations of the Bassin Nord thematic concertation #1 and its next date."""

# The list as it reads in seed 001 (a PDF's text: bullets, wrapped lines, blank lines).
SEED_001_PROPOSALS = """\
• Développer des dispositifs de sentinelles (modèle basé sur des relayant pairs
permettant une intervention rapide au sein des public cible)

• Mettre en avant le rôle et l’expertise des maisons médicales.

• Mettre à disposition des acteurs de la première ligne un numéro unique dédié à la
santé mentale pour faciliter et accompagner les relais.

• Créer des lieux accueils de jour bas seuil et dédiés spécifiquement aux
adolescents.

• Créer des dispositifs alternatifs qui touchent spécifiquement  le public qui ne
fréquentent pas les structures existantes.

• Structurer et renforcer les interventions  à domicile dans une logique de réseau.

• Prendre appui sur le réseau des SSM qui se déploient actuellement dans les
différents bassins de vie.

• S’assurer que les dispositifs de première ligne puissent relayer vers des services
qui peuvent offrir un accompagnement sur la durée.

• Renforcer les équipes existantes qui disposent déjà de la confiance des
bénéficiaires en y organisant des permanences régulières de psychologue.

• Créer un site internet pour faire connaitre l’offre de services au niveau du soins
en santé mentale.

• Soutenir la création d’accompagnements alternatifs et/ou créatifs pour accéder à
de nouveaux publics qui s’expriment peu par la parole.

• Soutenir la création et le renforcement de dispositifs dédiés  à la famille et aux
jeunes enfants (secteur périnatalité)

• Faciliter la prise en charge des troubles psychiques parmi les usagers de drogue.

• Soutenir la présence de travailleur hospitalier dans les services ambulatoires.
(fonction de psychologues de liaison)

• Soutenir la mise en œuvre et le développement du SISD au sein de la province
pour faciliter les processus de concertation.

• Insister sur l’approche ambulatoire des troubles psychiques dans le cursus de
formation initiale des médecins spécialisés.

• Collaborer et former les PEPs (ex-TMS) de l’ONE  dans une démarche de détection
préventive.

• Améliorer la connaissance des besoins réelles sur le territoire pour éviter de
référer aux données épidémiologiques généralistes  de l’OMS.

• Créer des synergies avec les aides familiales qui sont en 1° ligne dans les familles.

• Soutenir les accompagnements sociaux  dans les équipes et les trajectoires de
soin.

• Faciliter et soutenir l’accès et la collaboration avec les médecins spécialisés.

• Soutenir les personnes qui présentent une plainte, mais pas encore de demande
précise, dans les lieux de proximité.
 • Susciter des campagnes à destination du grand public autour de la promotion de
la bonne santé mentale (estime de soin souci de l’autre, etc. ).

• Prendre appui sur l’expertise de Similes pour sensibiliser les agents actifs dans la
première ligne.

• Prendre appui sur l’expertise des personnes dans un parcours de rétablissement
(logique de la pairs aidance)

• Soutenir des dispositifs où parent et enfants peuvent être pris en charge de
manière simultanée.

• Augmenter les collaborations et la présence dans les MR/MRS

• Renforcer la formation sur tous les aspects de la psychogériatrie.

• Soutenir et amplifier les dispositifs de santé communautaire  ancrés sur un
territoire précis .

• Soutenir des approches à bas seuil  non centré sur une problématique psychique
identifiée.

• Faciliter et organiser les transitions entre les accompagnements centrés sur un
enfant vers les parents et vice-versa.

• Soutenir l’accès aux soins à partir d’un dispositif mobile (exemple : camionnette
aménagée) dans les territoires ruraux ou éloignés des services spécialisés

• S’appuyer sur l’expertise des services d’aide en milieu ouvert (AMO)

• Soutenir des approches plus systémiques dans les accompagnements actuels.

• S’appuyer sur l’expertise des médecins généralistes et des maisons médicales
pour développer des approches plus systémiques.

• S’appuyer sur l’expertise des écoles de devoirs et/ou des lieux de rencontre
maman-bébé , etc.

• Maintenir et amplifier des lieux pluridisciplinaires à bas seuil ou/et basés sur la
gratuité.

• Développer des approches préventives à destination des personnes âgées.
"""
