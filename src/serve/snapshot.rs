//! One consistent snapshot of the site and everything that renders it
//! ([`Generation`]), and rendering jobs from it. A snapshot is never
//! changed once made: the HTTP and search threads read it while the engine
//! makes the next, which shares every unchanged part with it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::store::{served, Owner, Served, Shared};
use crate::build::{render_part, Part};
use crate::config::Language;
use crate::error::Result;
use crate::freshness::Freshness;
use crate::i18n::I18n;
use crate::output::{self, Artifact};
use crate::site::Site;
use crate::templates::{Renderer, Theme};

pub struct Generation {
    /// Counts snapshots: a later one has a higher id.
    pub id: u64,
    pub site: Arc<Site>,
    pub i18n: Arc<I18n>,
    pub freshness: Arc<Freshness>,
    pub theme: Arc<Theme>,
    /// Logical asset name → fingerprinted path, and the assets themselves.
    pub assets: Arc<BTreeMap<String, String>>,
    pub asset_artifacts: Arc<Vec<Artifact>>,
}

/// Jobs rendered together, and the files each made, ready to serve (or
/// the error that stopped them).
pub struct Rendered {
    pub jobs: Vec<Owner>,
    pub result: Result<Vec<(Owner, Files)>>,
}

/// Output path → contents, ready to serve.
pub type Files = Vec<(String, Served)>;

impl Generation {
    pub fn renderer(&self) -> Renderer<'_> {
        Renderer {
            site: &self.site,
            theme: &self.theme,
            i18n: &self.i18n,
            offline: false,
            assets: &self.assets,
            freshness: &self.freshness,
            scope: None,
            downloads: None,
        }
    }

    /// Every job of this snapshot: each page in each language, the assets
    /// and the site-wide parts.
    pub fn all_jobs(&self) -> BTreeSet<Owner> {
        let mut jobs: BTreeSet<Owner> = self.site.corpus.nodes.iter().flat_map(|n| self.pages_of(&n.key)).collect();
        jobs.insert(Owner::Assets);
        jobs.extend((0..Part::SITE_WIDE.len()).map(Owner::SiteWide));
        jobs
    }

    /// The jobs of a node's page in every language.
    pub fn pages_of(&self, key: &str) -> impl Iterator<Item = Owner> + '_ {
        let key = key.to_string();
        self.site.config.languages.iter().map(move |l| Owner::Page(key.clone(), l.code.clone()))
    }

    pub fn languages(&self) -> BTreeSet<String> {
        self.site.config.languages.iter().map(|l| l.code.clone()).collect()
    }

    /// Renders `jobs` in parallel, the languages of one page together (its
    /// content is made once per version shown).
    pub fn render(&self, jobs: &[Owner]) -> Vec<Rendered> {
        let mut pages: BTreeMap<&str, Vec<Owner>> = BTreeMap::new();
        let mut units: Vec<Vec<Owner>> = Vec::new();
        for job in jobs {
            match job {
                Owner::Page(key, _) => pages.entry(key).or_default().push(job.clone()),
                other => units.push(vec![other.clone()]),
            }
        }
        units.extend(pages.into_values());
        units
            .into_par_iter()
            .map(|jobs| {
                let result = self
                    .render_unit(&jobs)
                    .map(|made| made.into_iter().map(|(job, artifacts)| (job, served(artifacts))).collect());
                Rendered { jobs, result }
            })
            .collect()
    }

    /// Renders `jobs` and serves what they make; returns the output paths
    /// that changed. A job that fails keeps its last good files and shows
    /// its problem until it renders again.
    pub fn render_into(&self, shared: &Shared, jobs: &[Owner]) -> Vec<String> {
        // A chunk at a time, so a whole site's pages are never all in memory uncompressed.
        const CHUNK: usize = 512;
        let mut changed = Vec::new();
        for rendered in jobs.chunks(CHUNK).flat_map(|chunk| self.render(chunk)) {
            match rendered.result {
                Ok(made) => {
                    for (job, files) in made {
                        changed.extend(shared.settle(&job, self.id, Ok(files)));
                    }
                }
                Err(e) => {
                    let problem = shared.relative(&e.to_string());
                    for job in &rendered.jobs {
                        shared.settle(job, self.id, Err(problem.clone()));
                    }
                }
            }
        }
        shared.publish_problems();
        changed
    }

    /// Jobs of the pages open in a browser now (`open_pages`: their URL paths).
    pub fn open_jobs(&self, open_pages: &BTreeSet<String>) -> BTreeSet<Owner> {
        let site = &self.site;
        let site_path = site.config.site_path();
        let mut jobs = BTreeSet::new();
        for url in open_pages {
            let Some(url) = url.strip_prefix(site_path.trim_end_matches('/')) else {
                continue;
            };
            let Ok(path) = super::routes::decode_path(url) else {
                continue;
            };
            let path = path.strip_suffix("index.html").unwrap_or(&path).trim_end_matches('/');
            let (lang, rest) = path.split_once('/').unwrap_or((path, ""));
            if !site.config.is_language(lang) {
                continue;
            }
            if let Some(i) = site.nodes.iter().position(|n| n.path == rest) {
                jobs.insert(Owner::Page(site.node(i).key.clone(), lang.to_string()));
            }
        }
        jobs
    }

    fn render_unit(&self, jobs: &[Owner]) -> Result<Vec<(Owner, Vec<Artifact>)>> {
        let job = jobs[0].clone();
        Ok(match &job {
            Owner::Page(key, _) => self.render_pages(key, jobs)?,
            Owner::Assets => vec![(job, output::collect(self.asset_artifacts.to_vec())?)],
            Owner::SiteWide(part) => {
                let artifacts = render_part(&self.renderer(), &Part::SITE_WIDE[*part])?;
                vec![(job, output::collect(artifacts)?)]
            }
            Owner::Search(_) => Vec::new(),
        })
    }

    /// A node's pages in the languages of `jobs`; none for a node gone.
    fn render_pages(&self, key: &str, jobs: &[Owner]) -> Result<Vec<(Owner, Vec<Artifact>)>> {
        let mut by_lang: BTreeMap<String, Vec<Artifact>> = jobs
            .iter()
            .filter_map(|j| match j {
                Owner::Page(_, lang) => Some((lang.clone(), Vec::new())),
                _ => None,
            })
            .collect();
        if let Some(index) = self.site.index_of(key) {
            let languages: Vec<&Language> = by_lang.keys().filter_map(|l| self.site.config.language(l)).collect();
            for artifact in output::collect(self.renderer().node_pages_in(&[index], &languages)?)? {
                let lang = artifact.path.split('/').next().unwrap_or_default().to_string();
                if let Some(list) = by_lang.get_mut(&lang) {
                    list.push(artifact);
                }
            }
        }
        Ok(by_lang.into_iter().map(|(lang, artifacts)| (Owner::Page(key.to_string(), lang), artifacts)).collect())
    }
}
